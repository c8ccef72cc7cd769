"""Imports definitions.json (beside this file) into RabbitMQ through its management API, once the API answers.

Run as a one-shot by docker-compose.yml and by the Kubernetes Job in k8s/25-rabbitmq-definitions.yaml, with
RABBITMQ_USER, RABBITMQ_PASSWORD and optionally RABBITMQ_MANAGEMENT_URL (default http://rabbitmq:15672).
Not loaded at node boot on purpose: a node that imports definitions at boot creates no default user.
"""
import base64
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ATTEMPTS, PAUSE_SECONDS = 60, 2


def main() -> int:
    body = (Path(__file__).resolve().parent / "definitions.json").read_bytes()
    url = os.environ.get("RABBITMQ_MANAGEMENT_URL", "http://rabbitmq:15672").rstrip("/") + "/api/definitions"
    credentials = f"{os.environ['RABBITMQ_USER']}:{os.environ['RABBITMQ_PASSWORD']}".encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Authorization": "Basic " + base64.b64encode(credentials).decode()})
    for _ in range(ATTEMPTS):
        try:
            urllib.request.urlopen(request, timeout=10)
            print("RabbitMQ definitions imported")
            return 0
        except urllib.error.HTTPError as exc:
            if exc.code < 500:  # wrong credentials or a refused file: waiting will not help
                print(f"RabbitMQ refused the definitions: {exc.code} {exc.read().decode(errors='replace')}")
                return 1
            print("waiting for the management API:", exc)
        except OSError as exc:
            print("waiting for the management API:", exc)
        time.sleep(PAUSE_SECONDS)
    print(f"could not import RabbitMQ definitions into {url}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
