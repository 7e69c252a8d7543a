"""Everything the tracker writes out, one purpose per module.

- `safe_cells`: no exported cell starts a formula (xlsx quote prefix, CSV apostrophe).
- `styles`: the named cell styles of a workbook, made once per workbook.
- `table`: write-only sheets, and the styled table (frozen, filterable header, A4 print
  setup, footer) that every table sheet is.
- `board_paper`: the board paper's figures and its workbook.
- `update_return`: the update-return workbook an owner fills in (reading it back is
  `plan.update_return`).
- `records`: one record per action with the export keys, and those records as JSON.
- `actions_csv`: the actions CSV, the same records as CSV (command line and page alike).
"""
