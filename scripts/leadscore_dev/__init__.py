"""Development tools of leadscore, apart from the runtime package: the synthetic data generator and the
benchmarks. Their commands (`leadscore generate`, `leadscore bench`) reach the CLI through the
entry-point group leadscore.commands (commands.register); leadscore itself never imports this package."""

# `leadscore bench --source` value -> the systems the build selects (`raw` is the raw contract)
SOURCES: dict[str, tuple[str, ...]] = {"raw": ("raw",), "hubspot+segment": ("hubspot", "segment")}
