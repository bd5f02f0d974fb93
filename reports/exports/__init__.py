"""Exports of a report document (report.schema.json): PDF, Word, spreadsheet, CSV, JSON.

Every renderer takes the document as it stands and draws it; none computes a figure. Rows,
columns and labels come from ``reports.format`` through ``reports.exports.layout``."""
