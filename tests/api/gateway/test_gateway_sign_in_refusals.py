"""A wrong sign-in tells nothing: the same words and about the same time for an unknown username and a wrong
password, and after 5 failures in 15 minutes the username is refused for 15 minutes, whatever the password."""
from __future__ import annotations

import datetime as dt
import time

from people import PASSWORD, SESSIONS, Personnel, clock, gateway_client  # noqa: F401 - fixtures

from gateway.testing import assert_problem


def _refusal(client, username: str, password: str) -> tuple[dict, float]:
    started = time.perf_counter()
    response = client.post(SESSIONS, json={"username": username, "password": password})
    took = time.perf_counter() - started
    return assert_problem(response, 401), took


def test_an_unknown_username_and_a_wrong_password_are_refused_alike(gateway_client):
    people = Personnel(gateway_client)
    people.create("li.na")
    unknown, _ = _refusal(gateway_client, "nobody.here", PASSWORD)
    wrong, _ = _refusal(gateway_client, "li.na", "not the password")
    assert unknown["detail"] == wrong["detail"] == "the username or the password is wrong"
    assert unknown["title"] == wrong["title"] and set(unknown) == set(wrong)
    # Both hash a password (a dummy one for nobody): neither answers in a fraction of the other's time. Each is
    # its fastest of three (after the two above warmed everything up), so a busy machine's pause is not measured;
    # li.na's five failures would lock her name, so she is tried three more times only.
    unknown_took = min(_refusal(gateway_client, f"nobody.{n}", PASSWORD)[1] for n in range(3))
    wrong_took = min(_refusal(gateway_client, "li.na", f"not the password {n}")[1] for n in range(3))
    assert unknown_took > wrong_took / 4 and wrong_took > unknown_took / 4


def test_a_deactivated_persons_right_password_is_refused_in_the_same_words(gateway_client):
    people = Personnel(gateway_client)
    wang = people.create("wang.fang")
    people.change(wang["id"], active=False)
    refused, _took = _refusal(gateway_client, "wang.fang", PASSWORD)
    assert refused["detail"] == "the username or the password is wrong"


def test_five_failures_lock_the_username_for_15_minutes_even_for_the_right_password(gateway_client, clock):
    people = Personnel(gateway_client)
    people.create("li.na")
    for minute in range(5):
        clock.advance(minutes=2 if minute else 0)
        _refusal(gateway_client, "li.na", f"guess number {minute}")
    fifth_failure = clock.now

    clock.advance(minutes=1)
    locked = gateway_client.post(SESSIONS, json={"username": "LI.NA", "password": PASSWORD})  # any case, right password
    problem = assert_problem(locked, 429, mentions="too many failed sign-ins for this username")
    assert locked.headers["Retry-After"] == str(14 * 60)
    assert "password" not in problem["detail"].replace("sign-ins", "")  # nothing about which part was wrong

    clock.advance(minutes=13, seconds=59)  # a second before 15 minutes after the fifth failure
    assert gateway_client.post(SESSIONS, json={"username": "li.na", "password": PASSWORD}).headers["Retry-After"] == "1"
    clock.now = fifth_failure + dt.timedelta(minutes=15)
    people.sign_in("li.na")


def test_failures_spread_over_more_than_15_minutes_lock_nothing_and_a_sign_in_starts_the_count_afresh(
        gateway_client, clock):
    people = Personnel(gateway_client)
    people.create("li.na")
    for _ in range(5):
        _refusal(gateway_client, "li.na", "a wrong guess")
        clock.advance(minutes=4)  # never 5 within 15 minutes
    people.sign_in("li.na")
    for _ in range(4):  # with the last three before the sign-in these would be 7 within 15 minutes
        _refusal(gateway_client, "li.na", "a wrong guess")
    people.sign_in("li.na")


def test_an_unknown_username_locks_like_a_known_one(gateway_client):
    for _ in range(5):
        _refusal(gateway_client, "nobody.here", "a wrong guess")
    locked = gateway_client.post(SESSIONS, json={"username": "nobody.here", "password": PASSWORD})
    assert_problem(locked, 429)
    assert "Retry-After" in locked.headers


def test_one_username_locked_leaves_the_others_alone(gateway_client):
    people = Personnel(gateway_client)
    people.create("li.na")
    people.create("wang.fang")
    for _ in range(5):
        _refusal(gateway_client, "li.na", "a wrong guess")
    people.sign_in("li.na", expected=429)
    people.sign_in("wang.fang")


def test_one_address_trying_many_usernames_is_held_back_by_the_address_throttle(gateway_client):
    """One password tried on many usernames never locks any of them; the address's failed authentications
    (ERDM_AUTH_FAILURE_LIMIT, 10 a minute here) stop it instead, as they stop guessed keys."""
    people = Personnel(gateway_client)
    people.create("li.na")
    answers = [gateway_client.post(SESSIONS, json={"username": f"user{n}", "password": "Spring2027!"}).status_code
               for n in range(11)]
    assert answers == [401] * 10 + [429]
    refused = gateway_client.post(SESSIONS, json={"username": "li.na", "password": PASSWORD})
    assert_problem(refused, 429, mentions="from this address")
