"""The Audit log page shows an entry's details in words, with UK dates."""

from plan.audit import details_text


def test_details_in_words():
    assert details_text(
        {
            "actions_created": 34,
            "as_at": "2013-10-15T09:00:00+00:00",
            "period_end": "2014-03-31",
            "owner_names": ["Kylie Thornton", "Ian Peet"],
            "password": True,
            "sso": False,
            "owner": None,
            "changed": {"role": "chair"},
        }
    ) == (
        "actions created: 34; as at: 15 Oct 2013 09:00; changed: (role: chair); owner: none; "
        "owner names: Kylie Thornton, Ian Peet; password: yes; period end: 31 Mar 2014; sso: no"
    )


def test_no_details():
    assert details_text({}) == ""
    assert details_text(None) == ""
    assert details_text({"owner_names": []}) == "owner names: none"
