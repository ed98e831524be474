"""Accepted comments: from the form (or JSON) to a stored, emailed, verified comment."""

from .support import SITE_ORIGIN, confirm_link, eventually, http, verification_link


def test_json_comment_is_stored_unverified_and_its_email_sent_by_the_outbox(service):
    answer = service.submit_json(service.fields())

    assert answer.status == 202, answer.text
    reply = answer.json()
    # The answer does not wait for SMTP: it says what is true when it is given.
    assert reply["status"] == "unverified" and reply["mail"] == "queued"
    assert "zoe@example.org is on its way" in reply["message"]
    stored = service.store.get(reply["id"])
    assert stored.state == "unverified"
    assert stored.email == "zoe@example.org" and stored.author == "Zoë de la Cruz"
    message = service.smtp.sink.wait_for(1)
    eventually(lambda: service.store.get(reply["id"]).verify_mail == "sent", what="the email recorded as sent")
    assert message["To"].addresses[0].addr_spec == "zoe@example.org"
    assert "First Coffee" in message["Subject"]
    assert "Thank you, this helped" in message.get_content()


def test_following_the_emailed_link_verifies_the_comment(service):
    comment_id = service.submit_json(service.fields()).json()["id"]
    link = verification_link(service.smtp.sink.wait_for(1))

    page = confirm_link(link, service.store)

    assert page.status == 200
    assert "awaits moderation" in page.text
    assert f'href="{SITE_ORIGIN}/posts/2024/first-coffee/"' in page.text
    assert service.store.get(comment_id).state == "verified"
    again = http("POST", link, form={}, headers={"Origin": service.url})
    assert again.status == 200 and "already confirmed" in again.text  # confirming again changes nothing
    assert service.store.get(comment_id).state == "verified"


def test_form_post_answers_with_a_page(service):
    answer = service.submit_form(service.fields())

    assert answer.status == 202
    assert "Check your email" in answer.text
    assert "zoe@example.org" in answer.text
    assert "text/html" in answer.headers["Content-Type"]
