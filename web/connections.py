"""Connections (routes to come)."""

from flask import Blueprint

bp = Blueprint("connections", __name__)
