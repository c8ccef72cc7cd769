"""Refuses to let docker-compose.yml start with a missing, placeholder or URL-breaking secret.

The compose file gives secrets an empty default so that `docker-compose config` works without them
(CI checks the file that way); this one-shot, which postgres and rabbitmq wait for, is what stops
`up` instead. Run by compose as `settings-check`; prints every problem at once and exits 1.
"""
import os
import re
import sys

REQUIRED = ("POSTGRES_PASSWORD", "RABBITMQ_PASSWORD", "REDIS_PASSWORD", "ERDM_INTERNAL_SECRET", "ERDM_ADMIN_KEY")
# These end up inside the database, broker and rate-limit store URLs, which carry them unencoded.
IN_URLS = ("POSTGRES_USER", "POSTGRES_PASSWORD", "RABBITMQ_USER", "RABBITMQ_PASSWORD", "REDIS_PASSWORD")
URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")
MIN_LENGTH = 16
# The gateway refuses a shorter bootstrap admin key (gateway/auth.py): say so before anything starts.
MIN_LENGTHS = {"ERDM_ADMIN_KEY": 32}


def problems(env) -> list[str]:
    found = []
    for name in REQUIRED:
        value = env.get(name, "")
        if not value:
            found.append(f"{name} is not set")
        elif value.startswith("change-me"):
            found.append(f"{name} still holds the placeholder of example.env")
        elif len(value) < MIN_LENGTHS.get(name, MIN_LENGTH):
            found.append(f"{name} is shorter than {MIN_LENGTHS.get(name, MIN_LENGTH)} characters")
    for name in IN_URLS:
        value = env.get(name, "")
        if value and not URL_SAFE.fullmatch(value):
            found.append(f"{name} may hold only letters, digits, '-' and '_' (it goes into a URL)")
    return found


def main() -> int:
    found = problems(os.environ)
    for problem in found:
        print("settings-check:", problem, file=sys.stderr)
    if found:
        print("settings-check: set them in deploy/.env (start from deploy/example.env); see deploy/README.md",
              file=sys.stderr)
        return 1
    print("settings-check: every required setting is set")
    return 0


if __name__ == "__main__":
    sys.exit(main())
