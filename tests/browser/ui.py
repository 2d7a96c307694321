"""Steps shared by the browser tests, done the way a person does them."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def url_is(base: str, path: str) -> re.Pattern:
    """The page is at exactly `path` (a query string is allowed)."""
    return re.compile("^" + re.escape(base + path) + r"(\?.*)?$")


def switch_language(page: Page, lang: str) -> None:
    page.locator(f"#lang-switch button[name=lang][value={lang}]").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.wait_for_load_state("load")


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    form = page.locator("#login-form")
    expect(form).to_be_visible()
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    page.locator("#login-submit").click()
