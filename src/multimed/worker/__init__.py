"""Running jobs: the pipeline definition, one job's execution, and the runners that schedule them."""
