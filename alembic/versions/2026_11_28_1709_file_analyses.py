"""file analyses: that a file version was analyzed, even when it gave no findings

Revision ID: 0f59996c4c34
Revises: 0cf62088052a
Create Date: 2026-11-28 17:09:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0f59996c4c34"
down_revision: str | None = "0cf62088052a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "file_analyses",
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("analyzed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name=op.f("fk_file_analyses_file_id_files")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_file_analyses_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("file_id", name=op.f("pk_file_analyses")),
    )
    # Versions analyzed before the marker existed: those with findings, and those whose processing finished
    # (a PROCESSED file ran every stage, analysis last, so it was analyzed and found nothing).
    op.execute(
        """
        INSERT INTO file_analyses (file_id, organization_id, findings, analyzed_at)
        SELECT f.id, f.organization_id, count(fi.id), coalesce(max(fi.created_at), now())
        FROM files f LEFT JOIN findings fi ON fi.file_id = f.id
        GROUP BY f.id, f.organization_id, f.status
        HAVING count(fi.id) > 0 OR f.status = 'PROCESSED'
        """
    )


def downgrade() -> None:
    op.drop_table("file_analyses")
