"""The request: guards and converters, error pages, security headers, rate limits,
template helpers, and one blueprint package per audience (auth, review, admin, export).

The rule of this folder: a view loads its object or answers 404, validates its form,
makes one service call, commits (or rolls back on the service's ``DomainError``), then
flashes and redirects, or renders. Rules about the data live in ``annotator.services``
and ``annotator.text``; views catch the services' errors instead of checking the same
conditions first.
"""
