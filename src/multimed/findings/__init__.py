"""Clinical findings (labs, vitals, conditions, imaging) read from de-identified text and DICOM metadata."""
