"""Tremplin: RSA employment support and CUI-CIE conventions for a French département."""
