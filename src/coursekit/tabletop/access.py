"""The names the hub and the service must agree on: the service's name and the facilitator's scope.

Kept in a module of their own (no imports) so the hub's configuration can name them without loading the
service and its web framework.
"""

SERVICE_NAME = "tabletop"
#: A JupyterHub custom scope; the hub grants it, through a role, to the instructors group only.
FACILITATE = "custom:tabletop:facilitate"
INSTRUCTORS_GROUP = "instructors"
