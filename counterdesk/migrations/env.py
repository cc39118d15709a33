"""Alembic environment: always run programmatically by counterdesk.schema."""

from alembic import context

from counterdesk.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True,
                      include_object=config.attributes.get("include_object"))
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover
    raise SystemExit("offline migrations are not supported; use counterdesk db upgrade")
run_migrations_online()
