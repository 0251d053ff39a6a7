"""Reading a paged list's answer: the rows are the body, the totals are flask-smorest's X-Pagination header."""

import json


def pagination(response):
    """The X-Pagination header of a list answer: total, total_pages, page, first_page, last_page, …"""
    return json.loads(response.headers["X-Pagination"])


def total(response):
    return pagination(response)["total"]
