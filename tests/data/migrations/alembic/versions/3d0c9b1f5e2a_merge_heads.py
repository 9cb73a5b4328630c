"""merge email and phone branches

Revision ID: 3d0c9b1f5e2a
Revises: 1975ea83b712, 27c6a30d7c24
"""
revision = '3d0c9b1f5e2a'
down_revision = ('1975ea83b712', '27c6a30d7c24')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
