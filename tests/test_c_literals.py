from microforge.c_literals import c_string


def test_c_string_escapes_quotes_trigraphs_and_non_ascii() -> None:
    assert c_string('a"b\\c?') == '"a\\"b\\\\c\\?"'
    assert c_string("é") == '"\\303\\251"'
