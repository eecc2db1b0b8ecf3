"""Schemathesis hooks for scripts/api-fuzz.sh: steer some generated requests into real
conversations so the fuzz reaches the dialogue, not only the 404s of random ids and advisors.

- POST /v1/conversations: most bodies that name an advisor get one the server serves.
- POST /v1/conversations/{id}/turns: most bodies that carry an input get one the current reply
  offers (an option of the question on offer, or one of its actions), read from the server.

The choice depends on the generated body only, so a failing case replays the same way.
"""

import json
import os
import urllib.request

import schemathesis

BASE = os.environ["ADVISOR_FUZZ_BASE"]


def _get(path):
    try:
        with urllib.request.urlopen(BASE + path, timeout=5) as response:
            return json.load(response)
    except Exception:  # a 404 or anything else: leave the generated body alone
        return None


ADVISORS = [advisor["id"] for advisor in (_get("/v1/advisors") or {}).get("advisors", [])]


def _pick(body, choices):
    """A choice for this body, or None to leave a quarter of the bodies as generated."""
    digest = sum(json.dumps(body, sort_keys=True, default=str).encode())
    if not choices or digest % 4 == 0:
        return None
    return choices[digest % len(choices)]


@schemathesis.hook
def map_case(context, case):
    operation = context.operation
    if operation is None or operation.method.upper() != "POST" or not isinstance(case.body, dict):
        return case
    if operation.path == "/v1/conversations" and "advisor" in case.body:
        advisor = _pick(case.body, ADVISORS)
        if advisor is not None:
            case.body["advisor"] = advisor
    elif operation.path == "/v1/conversations/{id}/turns" and "input" in case.body:
        reply = _get("/v1/conversations/" + str(case.path_parameters.get("id", "")))
        if not reply:
            return case
        inputs = [action["input"] for action in reply.get("actions", [])]
        question = reply.get("input") or {}
        for option in question.get("options", []):
            inputs.append(
                {"type": "answer", "question_id": question["question_id"], "values": [option["value"]]}
            )
        choice = _pick(case.body, inputs)
        if choice is not None:
            case.body["input"] = choice
    return case
