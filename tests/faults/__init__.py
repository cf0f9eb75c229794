"""The fault suite: 68 classes of bad input and fault, each met as a user meets it.

Each runs ``deepseek-shock`` in a subprocess on a private copy of the project, offline. A bad input
must give one clear line naming what was wrong and what is expected, exit status 2, no traceback,
and leave ``_build/html``, ``site/``, ``data/`` and ``params/`` byte for byte as they were. A fault
(a kill, an interruption, a second command, a read-only folder) must leave what the README says.
Test ids in brackets; a class with several cases lists them all.

Parameter files (``test_parameter_files.py``)
  1. a byte that is not UTF-8 (``params-not-utf8``)
  2. a file saved as UTF-16 with its byte-order mark (``params-utf16``)
  3. a file saved as UTF-16 without one (``params-utf16-without-bom``)
  4. the same key twice (``params-duplicate-key``)
  5. a list instead of a mapping (``params-not-a-mapping``)
  6. a ``!!python/object`` tag (``params-python-tag``)
  7. anchors and aliases: a "billion laughs" (``params-alias-bomb``)
  8. a 20 MB file (``params-enormous-file``)
  9. values nested 50,000 deep (``params-deep-nesting``)
  10. a key that is not a name (``params-key-not-a-name``)
  11. a control character (``params-control-character``)
  12. a line break inside a text value (``params-line-break-in-text``)
  13. malformed YAML (``params-malformed-yaml``)
  14. NaN for a number (``params-not-a-number``)
  15. an unknown parameter (``params-unknown-key``)
  16. the file missing (``params-missing``)
  17. a folder in its place (``params-a-folder``)
  18. a named pipe in its place, which would never end (``params-a-pipe``)
  19. a link to a file outside the project (``params-link-outside``)
  20. a scenario file with the same key twice (``scenario-duplicate-key``)

The command line (``test_command_line.py``)
  21. code in a number (``set-code-in-a-number``)
  22. an unbalanced quote (``set-unbalanced-quote``)
  23. a line break (``set-line-break``)
  24. HTML (``set-html``)
  25. a ``!!python/object`` tag (``set-python-tag``)
  26. the same parameter twice (``set-given-twice``)
  27. ``--set`` without ``=`` (``set-without-equals``)
  28. a list (``set-a-list``)
  29. a number that overflows to infinity (``set-overflowing-number``)
  30. 100 kB of text, shown bounded (``set-text-of-100-kb``)
  31. an unknown parameter (``set-unknown-parameter``)
  32. an unknown command (``cli-unknown-command``)
  33. a missing argument (``cli-missing-argument``)
  34. a count that is not a whole number of 1 or more (``cli-count-zero``, ``cli-count-negative``,
      ``cli-count-not-a-number``)
  35. ``--force`` of an unknown notebook (``cli-unknown-force``)

Names and paths (``test_names_and_paths.py``)
  36. path traversal in a notebook name (``notebook-name-traversal``)
  37. path traversal in a publish version (``version-traversal``)
  38. absolute paths as names (``notebook-name-absolute``, ``version-absolute``)
  39. path traversal in a scenario name (``scenario-traversal``)
  40. path traversal in ``--snapshot`` (``snapshot-traversal``)
  41. path traversal in a new snapshot's id (``snapshot-id-traversal``)
  42. a snapshot folder linked outside the project (``snapshot-folder-link-outside``)
  43. a data file linked outside the project (``data-file-link-outside``)
  44. a notebook linked outside the project (``notebook-file-link-outside``)
  45. ``$DEEPSEEK_SHOCK_ROOT`` naming a folder that is not a checkout (``project-root-not-a-checkout``)
  46. a file where the build folder belongs (``build-folder-a-file``)
  47. a file where the site folder belongs (``site-folder-a-file``)

Data (``test_data.py``)
  48. a snapshot file truncated or edited (``data-file-truncated``, ``data-file-edited``)
  49. a manifest checksum that does not match (``manifest-checksum-mismatch``)
  50. a manifest entry pointing outside ``data/`` (``manifest-entry-outside-data``)
  51. a manifest that is not JSON (``manifest-not-json``)
  52. a data file missing (``data-file-missing``)
  53. rows removed, checksum updated to match (``data-file-rows-removed``)
  54. a byte that is not UTF-8, checksum updated (``data-file-not-utf8``)
  55. text in a number column, checksum updated (``data-value-not-a-number``)
  56. an unknown ticker (``unknown-ticker``)
  57. a date the snapshot lacks (``date-not-a-trading-day``, ``date-outside-the-snapshot``)
  58. an unknown snapshot (``unknown-snapshot``)
  59. a malformed claims registry, stopped before any kernel starts (``claims-registry-malformed``)
  60. live data with no network (``test_live_data_without_a_network_is_one_line``, both commands)

Faults, on a real build (``test_interruptions.py``, marked ``build``)
  61. kill -9 while notebooks run, and while pages are written: a rebuild equal to a clean build
  62. kill -9 during publish: ``site/`` byte for byte as it was; the next publish succeeds
  63. two builds at once in one checkout (and a run, and a publish, during a build)
  64. Ctrl-C during a build
  65. a damaged cache entry
  66. a book page linked outside the project
  67. a read-only build folder

The site (``test_site.py``, marked ``build``)
  68. a page that loads anything from another host, in the built site or a published edition
"""
