"""Counting what a task costs a user in the browser: clicks (taps) and keystrokes.

The page counts its own events (an init script listening before anything else), so the figure
is what the browser received, however the test drives it: every pointerdown is a click or a
tap, every keydown a keystroke. Text is typed key by key (`type_text`), as a person would.
"""

from __future__ import annotations

from dataclasses import dataclass

# Kept in sessionStorage: signing in sends the tab through the cookie route and back, a new
# document, and the count goes on across it.
COUNTER_SCRIPT = """
(() => {
  const load = () => JSON.parse(sessionStorage.getItem('taskCost') || '{"clicks":0,"keys":0}');
  const add = (field) => {
    const cost = load();
    cost[field] += 1;
    sessionStorage.setItem('taskCost', JSON.stringify(cost));
  };
  document.addEventListener('pointerdown', () => add('clicks'), true);
  document.addEventListener('keydown', () => add('keys'), true);
})();
"""


@dataclass(frozen=True)
class TaskCost:
    clicks: int
    keys: int


def count_task_cost(context) -> None:
    """Install the counters in every page the browser context opens."""
    context.add_init_script(COUNTER_SCRIPT)


def reset_task_cost(page) -> None:
    page.evaluate("sessionStorage.setItem('taskCost', JSON.stringify({clicks: 0, keys: 0}))")


def task_cost(page) -> TaskCost:
    counted = page.evaluate("JSON.parse(sessionStorage.getItem('taskCost'))")
    return TaskCost(clicks=counted["clicks"], keys=counted["keys"])


def type_text(page, locator, text: str) -> None:
    """Click into a field and type `text` key by key (one click, len(text) keystrokes)."""
    locator.click()
    page.keyboard.type(text)
