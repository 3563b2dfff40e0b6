"""Lists (routes to come)."""

from flask import Blueprint

bp = Blueprint("lists", __name__)
