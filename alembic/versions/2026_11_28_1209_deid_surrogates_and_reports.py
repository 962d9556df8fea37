"""deid surrogates and reports

Revision ID: 91182e8e0c7f
Revises: 6bd58f910682
Create Date: 2026-11-28 12:09:27.176597+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "91182e8e0c7f"
down_revision: str | None = "6bd58f910682"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "surrogates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("value_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_surrogates_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surrogates")),
        sa.UniqueConstraint(
            "patient_id", "kind", "number", name=op.f("uq_surrogates_patient_id_kind_number")
        ),
        sa.UniqueConstraint(
            "patient_id", "kind", "value_key", name=op.f("uq_surrogates_patient_id_kind_value_key")
        ),
    )
    op.create_index(op.f("ix_surrogates_patient_id"), "surrogates", ["patient_id"], unique=False)
    op.create_table(
        "deid_reports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("detector", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("profile_options", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("entity_counts", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("dicom_actions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("pixel_boxes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name=op.f("fk_deid_reports_file_id_files")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deid_reports")),
    )
    op.create_index(op.f("ix_deid_reports_file_id"), "deid_reports", ["file_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_deid_reports_file_id"), table_name="deid_reports")
    op.drop_table("deid_reports")
    op.drop_index(op.f("ix_surrogates_patient_id"), table_name="surrogates")
    op.drop_table("surrogates")
