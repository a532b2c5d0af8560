import pytest
from hypothesis import given
from hypothesis import strategies as st

from scim.filters import Comparison, FilterError, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('userName eq "isaac.brock@example.com"', [Comparison("username", "isaac.brock@example.com")]),
        ('USERNAME EQ "a@b.c"', [Comparison("username", "a@b.c")]),
        ('externalId eq "00ujl29u0le5T6Aj10h7"', [Comparison("externalid", "00ujl29u0le5T6Aj10h7")]),
        ('emails.value eq "a@b.c"', [Comparison("emails.value", "a@b.c")]),
        ('displayName eq "HR"', [Comparison("displayname", "HR")]),
        (
            'emails[type eq "work"].value eq "a@b.c"',
            [Comparison("emails.value", "a@b.c", where=Comparison("type", "work"))],
        ),
        (
            'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a@b.c"',
            [Comparison("username", "a@b.c")],
        ),
        ('id eq "7" and members eq "12"', [Comparison("id", "7"), Comparison("members", "12")]),
        ("active eq true", [Comparison("active", True)]),
        ('displayName eq "say \\"hi\\""', [Comparison("displayname", 'say "hi"')]),
    ],
)
def test_the_filters_identity_providers_send_are_read(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('userName ne "a"', "Only the eq operator"),
        ('userName sw "a"', "Only the eq operator"),
        ("userName pr", "Only the eq operator"),
        ("userName eq", "needs a value"),
        ('userName eq "a" or userName eq "b"', "joined by and"),
        ('(userName eq "a")', "start with an attribute"),
        ('userName eq "unterminated', "can't be read"),
        ("userName eq bare", "double quotes"),
        ("", "empty"),
        ("x" * 1001, "longer than"),
        ('emails[type eq "work" .value eq "a"', "not closed"),
        ('userName eq "a" and', "start with an attribute"),
    ],
)
def test_a_filter_this_server_cannot_answer_says_why(text, message):
    with pytest.raises(FilterError, match=message):
        parse(text)


@given(st.text(max_size=200))
def test_any_text_is_parsed_or_refused_with_a_filter_error(text):
    try:
        comparisons = parse(text)
    except FilterError:
        return
    assert comparisons and all(c.attribute for c in comparisons)
