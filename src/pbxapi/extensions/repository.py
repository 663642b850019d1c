"""Statements of extensions."""

from sqlalchemy import func

from pbxapi.db.tables import Employee, Extension

# Digit strings sort as numbers: "20" before "100", and "007" as 7 (leading zeros do not
# count, then "007" before "7"). Nulls sort last on both databases (SQLite defaults to first).
_NUMBER_VALUE = func.ltrim(Extension.number, "0")
SORT_KEYS = {
    "number": (func.length(_NUMBER_VALUE), _NUMBER_VALUE, Extension.number),
    "name": (Extension.name,),
    "direct": (Extension.direct.asc().nulls_last(),),
    "employee": (Employee.name.asc().nulls_last(),),
}
