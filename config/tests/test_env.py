"""The typed readers of deploy-time settings: each rejects a malformed value, naming the variable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

VAR = "CECTO_TEST_VALUE"


@pytest.fixture(autouse=True)
def _no_test_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (VAR, f"{VAR}_FILE"):
        monkeypatch.delenv(name, raising=False)


# env_str


def test_it_reads_a_string_or_falls_back_to_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_str(VAR, "fallback") == "fallback"
    monkeypatch.setenv(VAR, "given")
    assert env_str(VAR, "fallback") == "given"


# env_bool


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("True", True),
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("on", True),
        ("On", True),
        ("ON", True),
        (" true ", True),
        ("False", False),
        ("false", False),
        ("FALSE", False),
        ("0", False),
        ("off", False),
        ("Off", False),
        ("OFF", False),
    ],
)
def test_it_accepts_true_false_one_zero_on_off_in_any_case(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, default=not expected) is expected


@pytest.mark.parametrize("default", [True, False])
def test_it_uses_the_boolean_default_when_unset_or_empty(
    monkeypatch: pytest.MonkeyPatch, default: bool
) -> None:
    assert env_bool(VAR, default=default) is default
    monkeypatch.setenv(VAR, "")
    assert env_bool(VAR, default=default) is default


@pytest.mark.parametrize("raw", ["yes", "no", "Y", "2", "enabled", "truthy"])
def test_it_rejects_a_boolean_it_does_not_know_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured) as caught:
        env_bool(VAR, default=False)
    assert VAR in str(caught.value)
    assert repr(raw) in str(caught.value)


# env_int


def test_it_reads_a_whole_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "587")
    assert env_int(VAR, default=25) == 587


def test_it_uses_the_integer_default_when_unset_or_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_int(VAR, default=25, minimum=1) == 25
    monkeypatch.setenv(VAR, "")
    assert env_int(VAR, default=25, minimum=1) == 25


@pytest.mark.parametrize("raw", ["abc", "12.5", "ten", "5s", "0x10"])
def test_it_rejects_a_value_that_is_not_a_whole_number(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match="is not a whole number") as caught:
        env_int(VAR, default=1)
    assert VAR in str(caught.value)


def test_it_rejects_a_number_under_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum of 1") as caught:
        env_int(VAR, default=587, minimum=1)
    assert VAR in str(caught.value)


def test_it_rejects_a_negative_number_under_a_zero_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "-1")
    with pytest.raises(ImproperlyConfigured, match=VAR):
        env_int(VAR, default=0, minimum=0)


def test_it_accepts_a_number_equal_to_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "0")
    assert env_int(VAR, default=10, minimum=0) == 0


def test_it_accepts_any_whole_number_when_there_is_no_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "-40")
    assert env_int(VAR, default=10) == -40


# env_list


def test_it_splits_a_list_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, " cecto.example.org, ,www.cecto.example.org ,")
    assert env_list(VAR, default=["localhost"]) == ["cecto.example.org", "www.cecto.example.org"]


def test_it_returns_a_copy_of_the_list_default_when_unset() -> None:
    default = ["localhost", "127.0.0.1"]
    result = env_list(VAR, default=default)
    assert result == default
    result.append("changed")
    assert default == ["localhost", "127.0.0.1"]


def test_it_reads_an_empty_list_as_empty_not_as_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "")
    assert env_list(VAR, default=["localhost"]) == []


# env_choice


def test_it_reads_one_of_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "production")
    assert env_choice(VAR, choices=("development", "production"), default="development") == "production"


def test_it_uses_the_choice_default_when_unset_or_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    choices = ("development", "production")
    assert env_choice(VAR, choices=choices, default="development") == "development"
    monkeypatch.setenv(VAR, "")
    assert env_choice(VAR, choices=choices, default="development") == "development"


@pytest.mark.parametrize("raw", ["staging", "Production", "prod"])
def test_it_rejects_a_value_outside_the_choices_naming_them(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured) as caught:
        env_choice(VAR, choices=("development", "production"), default="development")
    message = str(caught.value)
    assert VAR in message
    assert "development, production" in message


# env_secret


def test_it_reads_a_secret_from_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "s3cret-value")
    assert env_secret(VAR) == "s3cret-value"


def test_it_returns_none_when_no_secret_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_secret(VAR) is None
    monkeypatch.setenv(VAR, "")
    assert env_secret(VAR) is None


def test_it_reads_a_secret_from_the_file_named_by_name_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.setenv(f"{VAR}_FILE", str(secret_file))
    assert env_secret(VAR) == "from-a-file"


def test_it_refuses_a_secret_set_both_ways(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file", encoding="utf-8")
    monkeypatch.setenv(VAR, "from-the-variable")
    monkeypatch.setenv(f"{VAR}_FILE", str(secret_file))
    with pytest.raises(ImproperlyConfigured) as caught:
        env_secret(VAR)
    message = str(caught.value)
    assert VAR in message
    assert f"{VAR}_FILE" in message
    assert "from-the-variable" not in message
    assert "from-a-file" not in message


@pytest.mark.parametrize("content", ["", "   \n\n"])
def test_it_refuses_an_empty_secret_file(monkeypatch: pytest.MonkeyPatch, tmp_path, content: str) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(content, encoding="utf-8")
    monkeypatch.setenv(f"{VAR}_FILE", str(secret_file))
    with pytest.raises(ImproperlyConfigured, match="is empty") as caught:
        env_secret(VAR)
    assert f"{VAR}_FILE" in str(caught.value)


def test_it_refuses_a_missing_secret_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv(f"{VAR}_FILE", str(tmp_path / "not-there"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read: No such file or directory") as caught:
        env_secret(VAR)
    assert f"{VAR}_FILE" in str(caught.value)


def test_it_refuses_a_secret_file_that_is_a_directory(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv(f"{VAR}_FILE", str(tmp_path))
    with pytest.raises(ImproperlyConfigured, match="cannot be read") as caught:
        env_secret(VAR)
    assert f"{VAR}_FILE" in str(caught.value)


def test_it_refuses_a_secret_file_that_is_not_text_without_quoting_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    secret_file = tmp_path / "secret.bin"
    secret_file.write_bytes(b"\xff\xfe\x9csecret")
    monkeypatch.setenv(f"{VAR}_FILE", str(secret_file))
    with pytest.raises(ImproperlyConfigured) as caught:
        env_secret(VAR)
    message = str(caught.value)
    assert f"{VAR}_FILE" in message
    assert "secret" not in message.replace(f"{VAR}_FILE", "").replace(str(secret_file), "")
    assert "0xff" not in message
