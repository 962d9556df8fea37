"""released de-identified variant

Revision ID: b5750844651e
Revises: 91182e8e0c7f
Create Date: 2026-11-28 12:29:25.717506+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "b5750844651e"
down_revision: str | None = "91182e8e0c7f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "files", sa.Column("deid_blob_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
    )
    op.add_column("files", sa.Column("deid_wrapped_key", sa.LargeBinary(), nullable=True))
    op.add_column(
        "files", sa.Column("deid_key_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
    )
    op.add_column(
        "files", sa.Column("deid_content_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
    )
    op.create_unique_constraint(op.f("uq_files_deid_blob_key"), "files", ["deid_blob_key"])


def downgrade() -> None:
    op.drop_constraint(op.f("uq_files_deid_blob_key"), "files", type_="unique")
    op.drop_column("files", "deid_content_type")
    op.drop_column("files", "deid_key_id")
    op.drop_column("files", "deid_wrapped_key")
    op.drop_column("files", "deid_blob_key")
