"""The supervision web application: a Django shell over the duban core.

Parsing lives in ``duban.doc``, status colours in ``duban.track``; this
package stores plans and reports, checks who may do what, and renders pages.
"""
