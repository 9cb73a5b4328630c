"""add phone

Revision ID: 27c6a30d7c24
Revises: ae1027a6acf
"""
from alembic import op
import sqlalchemy as sa

revision = '27c6a30d7c24'
down_revision = 'ae1027a6acf'


def upgrade():
    op.add_column('users', sa.Column('phone', sa.String()))


def downgrade():
    op.drop_column('users', 'phone')
