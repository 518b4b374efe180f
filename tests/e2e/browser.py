"""A person's browser on the web pages, for the browser tests: Debian's headless Chromium driven
by its chromedriver through Selenium. Selenium blocks, so tests run its steps in a thread
(`run`) to keep their event loop free."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from devstack.supervisor import Stack

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PASSWORD = "correct horse battery staple"
T = TypeVar("T")


class Browser:
    """One person's browser window (its own cookies) on the web pages."""

    def __init__(self, base_url: str, shots: Path) -> None:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in (
            "--headless=new",
            "--no-sandbox",  # root in a container has no user namespace for the sandbox
            "--disable-dev-shm-usage",
            "--window-size=1366,900",
            "--disable-gpu",
        ):
            options.add_argument(argument)
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.base_url = base_url
        self.shots = shots

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def heading(self) -> str:
        return str(self.driver.find_element(By.TAG_NAME, "h1").text)

    def text(self) -> str:
        return str(self.driver.find_element(By.TAG_NAME, "body").text)

    def fill(self, field_id: str, value: str) -> None:
        field = self.driver.find_element(By.ID, field_id)
        field.clear()
        field.send_keys(value)

    def click(self, text: str) -> None:
        """A button that stays on the page (a script's)."""
        self.driver.find_element(By.XPATH, f"//button[normalize-space()='{text}']").click()

    def follow(self, link_text: str) -> None:
        self._to_next_page(lambda: self.driver.find_element(By.LINK_TEXT, link_text).click())

    def submit(self, text: str) -> None:
        """A form's button: returns once the next page has replaced this one."""
        self._to_next_page(lambda: self.click(text))

    def _to_next_page(self, leave: Callable[[], None]) -> None:
        """Marks this document, leaves it, and waits for a loaded document without the mark.
        While Chromium swaps documents, the driver may answer any command with an inspector
        error ("Node ... does not belong to the document"): those are waited through."""
        self.driver.execute_script("window.omsLeaving = true")
        leave()
        WebDriverWait(self.driver, 20, ignored_exceptions=(WebDriverException,)).until(
            _on_a_new_loaded_page
        )

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        self.open("/sign-in")
        self.fill("username", username)
        self.fill("password", password)
        self.submit("Sign in")
        WebDriverWait(self.driver, 10).until(lambda d: "/sign-in" not in d.current_url)

    def sign_out(self) -> None:
        self.submit("Sign out")
        WebDriverWait(self.driver, 10).until(lambda d: "/sign-in" in d.current_url)

    def status_of(self, path: str) -> str:
        """The page's heading at `path` (the pages answer 403 with "Not allowed")."""
        self.open(path)
        return self.heading()

    def shot(self, name: str) -> None:
        """The whole page: the window grown to its height for the picture."""
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(1366, max(900, int(height)))
        self.driver.save_screenshot(str(self.shots / f"{name}.png"))
        self.driver.set_window_size(1366, 900)

    def close(self) -> None:
        self.driver.quit()


def _on_a_new_loaded_page(driver: WebDriver) -> bool:
    return bool(
        driver.execute_script(
            "return window.omsLeaving !== true && document.readyState === 'complete'"
        )
    )


async def run(step: Callable[[], T]) -> T:
    """Selenium blocks: its steps run in a thread, so the test's event loop stays free."""
    return await asyncio.to_thread(step)


async def first_admin(stack: Stack, username: str, role: str = "admin", team: str = "") -> None:
    """`python -m web create-user`, with the running web service's settings."""
    made = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "web", "create-user", "--username", username, "--role", role,
        "--team", team, env={**os.environ, **stack.processes["web"].env},
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _out, err = await made.communicate(f"{PASSWORD}\n".encode())
    assert made.returncode == 0, err.decode()
