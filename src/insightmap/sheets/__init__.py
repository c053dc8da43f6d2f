"""Spreadsheets: export to csv/xlsx/json, the xlsx template, and all-or-nothing import."""
