"""Search (routes to come)."""

from flask import Blueprint

bp = Blueprint("search", __name__)
