"""The drills service's pure rules: no Flask, SQLAlchemy or kombu here."""
