"""A retried import with its Idempotency-Key is recognised by what it sends, not by how the multipart body is framed."""
from __future__ import annotations

import csv
import io

from stockroom import API, assert_problem

KEY = {"Idempotency-Key": "import-2026-12-02"}


def receipts_csv(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["warehouse_code", "item_code", "quantity"])
    writer.writerows(rows)
    return out.getvalue().encode()


def multipart(boundary: str, content: bytes, *, filename="入库.csv", fields=()) -> tuple[bytes, str]:
    """A body as curl or httpx frames it: each sends a boundary of its own choosing on every request."""
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def send(client, body_and_type, headers=KEY):
    body, content_type = body_and_type
    return client.post(f"{API}/stock/import", data=body, content_type=content_type, headers=headers)


def test_the_same_file_under_a_new_boundary_is_a_replay_and_books_once(resources_client, stockroom, depot, tents):
    content = receipts_csv([depot["code"], tents["code"], "5"])
    first = send(resources_client, multipart("------------------------a1b2c3d4e5f6", content))
    again = send(resources_client, multipart("----WebKitFormBoundary7MA4YWxkTrZu0gW", content))
    assert first.status_code == 201, first.get_data(as_text=True)
    assert again.status_code == 201, again.get_data(as_text=True)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json()
    assert stockroom.balance(depot, tents)["on_hand"] == 5
    assert len(stockroom.movements()) == 1


def test_another_file_under_the_same_key_is_refused(resources_client, stockroom, depot, tents):
    first = send(resources_client, multipart("b-one", receipts_csv([depot["code"], tents["code"], "5"])))
    assert first.status_code == 201
    other = send(resources_client, multipart("b-two", receipts_csv([depot["code"], tents["code"], "6"])))
    assert_problem(other, 422, "Idempotency-Key")
    renamed = send(resources_client, multipart("b-three", receipts_csv([depot["code"], tents["code"], "5"]),
                                               filename="b.csv"))
    assert_problem(renamed, 422, "Idempotency-Key")
    with_a_field = send(resources_client, multipart("b-four", receipts_csv([depot["code"], tents["code"], "5"]),
                                                    fields=[("note", "补录")]))
    assert_problem(with_a_field, 422, "Idempotency-Key")
    assert stockroom.balance(depot, tents)["on_hand"] == 5


def test_a_json_body_is_still_compared_byte_for_byte(resources_client, stockroom, depot, tents):
    body = {"warehouse_id": depot["id"], "item_id": tents["id"], "quantity": 2}
    first = resources_client.post(f"{API}/stock/receipts", json=body, headers=KEY)
    again = resources_client.post(f"{API}/stock/receipts", json=body, headers=KEY)
    assert (first.status_code, again.headers.get("Idempotent-Replayed")) == (201, "true")
    assert_problem(resources_client.post(f"{API}/stock/receipts", json={**body, "quantity": 3}, headers=KEY), 422,
                   "Idempotency-Key")
    assert stockroom.balance(depot, tents)["on_hand"] == 2
