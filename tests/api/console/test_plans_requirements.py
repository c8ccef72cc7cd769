"""What a plan requires on hand, edited as plain rows of item and quantity: the current lines and five empty rows,
items chosen by code and name, the lines sent as the API takes them, mistakes said beside their row."""
from __future__ import annotations

import plans_answers as answers

from console import testing

PAGE = f"/plans/{answers.PLAN_ID}/requirements"
API = f"/plans/{answers.PLAN_ID}/requirements"


def _rows(*lines) -> dict:
    """Form data for rows of (item, quantity), item None for an empty choice."""
    data = {}
    for index, (item, quantity) in enumerate(lines):
        data[f"lines-{index}-item_id"] = item["id"] if item else ""
        data[f"lines-{index}-quantity"] = quantity
    return data


def test_the_form_holds_the_current_lines_and_five_empty_rows_of_named_items(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan())
    page = console.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('name="lines-') == 2 * (2 + 5)
    assert f'<option selected value="{answers.WATER["id"]}">WAT-001 瓶装饮用水 (箱)</option>' in html
    assert 'id="lines-0-quantity"' in html and 'value="200"' in html
    text = answers.visible_text(page)
    assert "RADIO-01 手持对讲机 (台)" in text and "第1版所需储备物资" in text
    assert answers.shows_no_ids(page)


def test_saving_sends_the_filled_rows_as_numbers_and_skips_the_empty_ones(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan())
    gateway.on("PUT", API, answers.draft_plan())
    answer = testing.post_form(console, PAGE, _rows((answers.WATER, "200"), (None, ""), (answers.RADIO, "12.5"),
                                                     (answers.BOAT, "4")))
    assert answer.status_code == 302 and answer.headers["Location"] == f"/plans/{answers.PLAN_ID}#requirements"
    assert gateway.sent("PUT", API) == [{"lines": [{"item_id": answers.WATER["id"], "quantity": 200},
                                                   {"item_id": answers.RADIO["id"], "quantity": 12.5},
                                                   {"item_id": answers.BOAT["id"], "quantity": 4}]}]


def test_emptying_every_row_clears_the_list(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan())
    gateway.on("PUT", API, answers.draft_plan(requirements=[]))
    testing.post_form(console, PAGE, _rows((None, ""), (None, "")))
    assert gateway.sent("PUT", API) == [{"lines": []}]


def test_an_item_listed_twice_or_a_quantity_without_an_item_is_said_beside_its_row(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan())
    answer = testing.post_form(console, PAGE, _rows((answers.WATER, "200"), (answers.WATER, "5"), (None, "3"),
                                                     (answers.BOAT, "0"), (answers.RADIO, "1.2345")))
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert '<small class="error" data-field="lines-1-item_id">该物资重复填写，每种物资只填一行。</small>' in html
    assert '<small class="error" data-field="lines-2-item_id">请为该数量选择物资。</small>' in html
    assert '<small class="error" data-field="lines-3-quantity">请输入大于零的数量。</small>' in html
    assert '<small class="error" data-field="lines-4-quantity">最多保留三位小数。</small>' in html
    assert gateway.sent("PUT", API) == []


def test_the_apis_message_for_a_line_sits_beside_that_row(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan())
    gateway.on("PUT", API, testing.problem(422, "Some fields are invalid: lines", errors={
        "lines": {"1": {"quantity": ["Not a valid number."]}}}))
    # The empty second row is not sent: the API's line 1 is the form's row 2.
    answer = testing.post_form(console, PAGE, _rows((answers.WATER, "200"), (None, ""), (answers.RADIO, "9")))
    assert answer.status_code == 422
    assert '<small class="error" data-field="lines-2-quantity">' in answer.get_data(as_text=True)


def test_more_rows_are_added_without_saving(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan())
    answer = testing.post_form(console, PAGE, {**_rows((answers.WATER, "200"), (None, "")), "add_rows": "1"})
    assert answer.status_code == 200
    assert answer.get_data(as_text=True).count('name="lines-') == 2 * (2 + 5)
    assert gateway.sent("PUT", API) == []


def test_a_version_that_can_no_longer_change_is_refused_in_words(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan(status="in_review"))
    gateway.on("PUT", API, testing.problem(
        409, "Version 1 is approved and can no longer change; open a revision (POST /plans/{id}/revisions) to "
             "change the plan.", current_status="approved", version=1))
    answer = testing.post_form(console, PAGE, _rows((answers.WATER, "200")))
    assert answer.status_code == 409
    text = answers.visible_text(answer)
    assert "第1版为“已批准”，已不能修改；如需修改预案，请启动修订。" in text and "POST /plans" not in text


def test_an_open_revisions_list_is_the_one_edited(console, gateway):
    answers.serve_plan(gateway, answer=answers.plan(draft_version=2))
    gateway.on("GET", f"/plans/{answers.PLAN_ID}/versions/2",
               answers.revision(2, requirements=[answers.line(answers.RADIO, 30)]))
    page = console.get(PAGE)
    html = page.get_data(as_text=True)
    assert f'<option selected value="{answers.RADIO["id"]}">' in html and 'value="30"' in html
    assert "修订版获批准前，第1版仍按原清单执行。" in answers.visible_text(page)


def test_an_approved_plan_without_a_revision_sends_the_person_back_to_open_one(console, gateway):
    answers.serve_plan(gateway)
    answer = console.get(PAGE)
    assert answer.status_code == 302 and answer.headers["Location"] == f"/plans/{answers.PLAN_ID}"


def test_trailing_zeros_do_not_count_as_decimal_places(console, gateway):
    answers.serve_plan(gateway, answer=answers.draft_plan())
    gateway.on("PUT", API, answers.draft_plan())
    answer = testing.post_form(console, PAGE, _rows((answers.WATER, "20.000"), (answers.RADIO, "1.2340")))
    assert answer.status_code == 302
    assert gateway.sent("PUT", API) == [{"lines": [{"item_id": answers.WATER["id"], "quantity": 20},
                                                   {"item_id": answers.RADIO["id"], "quantity": 1.234}]}]
