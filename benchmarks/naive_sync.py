"""The naive sequential sync `bench_sync.py` compares the app with: what most integrations do.

    python benchmarks/naive_sync.py BASE_URL ACCESS_TOKEN DATABASE_FILE

One list request after another — 30-day `lineItems.boughtAt` windows back 400 days (one holding
more than the 10 000 orders offsets reach halved), each paged by offset, 100 forms a page — each
page's JSON parsed and inserted (id, purchase time, status, total and the raw JSON) in a
transaction of its own. Only `httpx` and `sqlite3`: a minimal
Python client. Prints the number of orders stored.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

ACCEPT = "application/vnd.allegro.public.v1+json"
#: Allegro refuses `offset + limit` past 10 000: a window holding more is halved.
MAX_OFFSET = 10_000


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def main(base_url: str, token: str, path: str) -> None:
    headers = {"Authorization": f"Bearer {token}", "Accept": ACCEPT}
    database = sqlite3.connect(path)
    database.execute("CREATE TABLE orders (id TEXT PRIMARY KEY, bought_at TEXT, status TEXT, "
                     "total TEXT, raw TEXT)")
    now = datetime.now(UTC)
    with httpx.Client(base_url=base_url, headers=headers, timeout=120) as http:

        def page(start: datetime, end: datetime, offset: int) -> dict[str, Any]:
            response = http.get("/order/checkout-forms", params={
                "lineItems.boughtAt.gte": _iso(start), "lineItems.boughtAt.lte": _iso(end),
                "limit": 100, "offset": offset})
            response.raise_for_status()
            body: dict[str, Any] = response.json()
            return body

        def window(start: datetime, end: datetime) -> None:
            body = page(start, end, 0)
            if body["totalCount"] > MAX_OFFSET:  # past Allegro's offset cap: halve it
                middle = start + (end - start) / 2
                window(middle, end)
                window(start, middle)
                return
            offset = 0
            while True:
                forms = body["checkoutForms"]
                with database:
                    database.executemany(
                        "INSERT OR REPLACE INTO orders VALUES (?, ?, ?, ?, ?)",
                        [(form["id"], form["lineItems"][0]["boughtAt"], form["status"],
                          form["summary"]["totalToPay"]["amount"], json.dumps(form))
                         for form in forms])
                offset += len(forms)
                if len(forms) < 100:
                    break
                body = page(start, end, offset)

        end = now + timedelta(days=1)
        while end > now - timedelta(days=400):
            window(end - timedelta(days=30), end)
            end -= timedelta(days=30)
    print(database.execute("SELECT count(*) FROM orders").fetchone()[0])
    database.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
