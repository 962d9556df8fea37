"""summaries name the files they leave out because those were not analyzed

Revision ID: 5b2ba07695a4
Revises: 0f59996c4c34
Create Date: 2026-11-28 17:12:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "5b2ba07695a4"
down_revision: str | None = "0f59996c4c34"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # DDL fires no row trigger. Summaries stored before read the empty list: they did not record gaps.
    op.add_column(
        "summaries",
        sa.Column(
            "uncovered_files", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_column("summaries", "uncovered_files")
