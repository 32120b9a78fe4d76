"""A seeded, clearly synthetic social-network data set with a hidden coordinated group (topic 10).

Why this exists: participants learn what *coordinated inauthentic behaviour* looks like in data without
touching real accounts, real people or a real platform. Everything here is invented by a random number
generator: the handles, the links (all on ``.example`` domains, which are reserved and never resolve),
the times. The same seed always gives the same data, so a graded exercise can have a fixed key.

How the data are generated (:func:`generate`)
-------------------------------------------
* ``n_accounts`` accounts get made-up handles (adjective_noun). ``n_coordinated`` of them, chosen at
  random, form the hidden coordinated group; the rest are *organic*.
* **Organic accounts** post a few times (Poisson, mean ``organic_mean_posts``) at random moments of the
  week, more by day than by night, sharing links drawn from a pool of news and blog links in which a
  few links are far more popular than others. Popular links are therefore shared by many organic
  accounts, but over hours and days.
* **The coordinated group** posts in ``n_bursts`` bursts. In each burst, each member (with probability
  ``participation``, and at least three bursts per member) shares the burst's campaign link within
  ``burst_minutes`` minutes of the burst's start. Its members also post a little ordinary filler, were
  created within a few weeks of each other and have few followers.
* **Decoys** make the exercise honest: one very active organic account (high volume is not
  coordination), a few organic accounts that reshare a campaign link hours after a burst (genuine users
  can pick up a narrative), and recently created organic accounts.

Summaries (:func:`link_summary`, :func:`spikes`, :func:`account_summary`) and figures are here too, so
the notebook only calls them. The truth (``SyntheticNetwork.coordinated``) is used by tests and by the
instructor, never shown in the notebook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_ADJECTIVES = (
    "amber",
    "brisk",
    "calm",
    "civic",
    "coral",
    "daring",
    "dusky",
    "eager",
    "fern",
    "frank",
    "gentle",
    "golden",
    "hazel",
    "honest",
    "ivory",
    "jolly",
    "keen",
    "lively",
    "lunar",
    "maple",
    "mellow",
    "misty",
    "noble",
    "olive",
    "plain",
    "quiet",
    "rapid",
    "rustic",
    "sandy",
    "silver",
    "sober",
    "steady",
    "sunny",
    "tidal",
    "urban",
    "vivid",
    "wary",
    "windy",
    "young",
    "zesty",
)
_NOUNS = (
    "badger",
    "beacon",
    "birch",
    "canal",
    "comet",
    "cricket",
    "delta",
    "falcon",
    "ferry",
    "harbour",
    "heron",
    "lantern",
    "meadow",
    "orchard",
    "otter",
    "pebble",
    "pilot",
    "quarry",
    "raven",
    "reader",
    "ridge",
    "river",
    "robin",
    "sparrow",
    "spruce",
    "thistle",
    "tramway",
    "valley",
    "walnut",
    "willow",
)
# Organic link pool: popular first (weights fall off), all on reserved .example domains.
ORGANIC_LINKS: tuple[str, ...] = tuple(
    f"https://{site}.example/{path}"
    for site, path in (
        ("citynews", "council-budget-vote"),
        ("dailyledger", "rail-strike-ends"),
        ("citynews", "new-tram-line"),
        ("sportsdesk", "cup-final-report"),
        ("weatherwatch", "storm-warning"),
        ("dailyledger", "energy-prices"),
        ("techbeat", "phone-review"),
        ("citynews", "school-reopening"),
        ("foodblog", "spring-recipes"),
        ("dailyledger", "election-debate-highlights"),
        ("sciencenow", "comet-visible"),
        ("techbeat", "app-update"),
        ("citynews", "library-hours"),
        ("travelnotes", "coastal-walks"),
        ("sportsdesk", "transfer-rumours"),
        ("dailyledger", "pension-reform"),
        ("healthdesk", "flu-season"),
        ("citynews", "market-day"),
        ("musicmag", "festival-lineup"),
        ("sciencenow", "ocean-plastics"),
        ("techbeat", "cyber-tips"),
        ("foodblog", "street-food"),
        ("citynews", "bridge-repairs"),
        ("dailyledger", "housing-report"),
        ("healthdesk", "sleep-study"),
        ("travelnotes", "night-trains"),
        ("musicmag", "album-review"),
        ("sportsdesk", "marathon-results"),
        ("weatherwatch", "heatwave-advice"),
        ("citynews", "park-cleanup"),
    )
)
CAMPAIGN_LINKS: tuple[str, ...] = (
    "https://the-real-story.example/election-rigged-proof",
    "https://the-real-story.example/officials-hide-truth",
)


@dataclass(frozen=True)
class SyntheticNetwork:
    """The generated data: ``accounts`` and ``posts`` DataFrames, and the hidden truth.

    ``coordinated`` lists the handles of the coordinated group (sorted); ``bursts`` the burst start
    times. Show participants the data and summaries, never these two fields.
    """

    accounts: Any
    posts: Any
    coordinated: tuple[str, ...]
    bursts: tuple[Any, ...]
    seed: int


def generate(
    seed: int = 2022,
    n_accounts: int = 60,
    n_coordinated: int = 7,
    days: int = 7,
    start: str = "2022-05-02",
    n_bursts: int = 5,
    burst_minutes: int = 10,
    participation: float = 0.85,
    organic_mean_posts: float = 4.0,
    n_resharers: int = 3,
) -> SyntheticNetwork:
    """Generate the synthetic network; the same arguments always give the same data.

    Raises ValueError for sizes that cannot work (too few accounts for the group and the decoys, too
    many handles, fewer than three bursts).
    """
    import numpy as np
    import pandas as pd

    if n_accounts > len(_ADJECTIVES) * len(_NOUNS):
        raise ValueError("n_accounts is larger than the number of distinct handles available.")
    if n_coordinated < 2 or n_accounts < n_coordinated + n_resharers + 3:
        raise ValueError("Need at least 2 coordinated accounts and room for decoys among the accounts.")
    if n_bursts < 3 or n_bursts > days or burst_minutes < 1 or not 0 < participation <= 1:
        raise ValueError(
            "Need 3 or more bursts, no more bursts than days, a burst of 1 minute or more and 0 < participation <= 1."
        )

    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp(start)
    pairs = [(a, n) for a in _ADJECTIVES for n in _NOUNS]
    picks = rng.choice(len(pairs), size=n_accounts, replace=False)
    handles = [f"{pairs[i][0]}_{pairs[i][1]}" for i in picks]
    order = rng.permutation(n_accounts)
    coordinated = [handles[i] for i in order[:n_coordinated]]
    organic = [handles[i] for i in order[n_coordinated:]]
    busy = organic[0]
    resharers = organic[1 : 1 + n_resharers]

    # -- accounts --------------------------------------------------------------------------------
    group_created = t0 - pd.Timedelta(days=int(rng.integers(20, 40)))
    rows = []
    for h in handles:
        if h in coordinated:
            created = group_created + pd.Timedelta(days=int(rng.integers(0, 14)))
            followers = int(rng.integers(5, 80))
            following = int(rng.integers(300, 900))
        else:
            recent = rng.random() < 0.15
            age = int(rng.integers(10, 60)) if recent else int(rng.integers(200, 4000))
            created = t0 - pd.Timedelta(days=age)
            followers = int(np.round(rng.lognormal(5.0, 1.2)))
            following = int(rng.integers(50, 700))
        rows.append({"account": h, "created": created.normalize(), "followers": followers, "following": following})
    accounts = pd.DataFrame(rows).sort_values("account", ignore_index=True)

    # -- posts -----------------------------------------------------------------------------------
    minutes_in_period = days * 24 * 60
    weights = 1.0 / np.arange(1, len(ORGANIC_LINKS) + 1) ** 0.6
    weights /= weights.sum()

    def organic_time() -> Any:
        # more posts by day (08:00-23:00) than by night
        while True:
            m = int(rng.integers(0, minutes_in_period))
            hour = (m // 60) % 24
            if hour >= 8 or rng.random() < 0.25:
                return t0 + pd.Timedelta(minutes=m, seconds=int(rng.integers(0, 60)))

    posts: list[dict[str, Any]] = []

    def post(handle: str, when: Any, link: str) -> None:
        posts.append({"account": handle, "posted_at": when, "link": link})

    for h in organic:
        count = int(rng.poisson(organic_mean_posts)) + 1
        if h == busy:
            count = 45
        for _ in range(count):
            post(h, organic_time(), ORGANIC_LINKS[int(rng.choice(len(ORGANIC_LINKS), p=weights))])

    # bursts: at most one a day, in the daytime (09:00-20:59)
    slots = np.sort(rng.choice(np.arange(days), size=n_bursts, replace=False))
    bursts = [
        t0 + pd.Timedelta(days=int(s), hours=int(rng.integers(9, 21)), minutes=int(rng.integers(0, 60))) for s in slots
    ]
    joins = rng.random((n_coordinated, n_bursts)) < participation
    for i in range(n_coordinated):  # every member joins at least three bursts
        while joins[i].sum() < 3:
            joins[i, int(rng.integers(0, n_bursts))] = True
    for b, when in enumerate(bursts):
        link = CAMPAIGN_LINKS[b % len(CAMPAIGN_LINKS)]
        for i, h in enumerate(coordinated):
            if joins[i, b]:
                post(h, when + pd.Timedelta(seconds=int(rng.integers(0, burst_minutes * 60))), link)
    for h in coordinated:  # a little ordinary filler
        for _ in range(int(rng.integers(1, 4))):
            post(h, organic_time(), ORGANIC_LINKS[int(rng.choice(len(ORGANIC_LINKS), p=weights))])
    for k, h in enumerate(resharers):  # genuine users picking up a campaign link hours later
        b = k % n_bursts
        while True:  # 3 to 20 hours later, and never within an hour of any burst
            when = bursts[b] + pd.Timedelta(hours=int(rng.integers(3, 20)), minutes=int(rng.integers(0, 60)))
            if all(abs(when - other) >= pd.Timedelta(hours=1) for other in bursts):
                break
        post(h, when, CAMPAIGN_LINKS[b % len(CAMPAIGN_LINKS)])

    frame = pd.DataFrame(posts).sort_values(["posted_at", "account"], ignore_index=True)
    frame.insert(0, "post_id", [f"p{n:04d}" for n in range(1, len(frame) + 1)])
    return SyntheticNetwork(accounts, frame, tuple(sorted(coordinated)), tuple(bursts), seed)


# -- summaries the notebook shows ------------------------------------------------------------------


def link_summary(posts: Any, top: int = 10) -> Any:
    """Links shared by the most distinct accounts, with how tightly in time the shares bunch.

    "Median minutes between shares" is the median gap between consecutive shares of the same link by
    any account: a few minutes means the shares came in bursts; hours means they trickled in.
    """
    import pandas as pd

    rows = []
    for link, group in posts.groupby("link"):
        times = group["posted_at"].sort_values()
        gaps = times.diff().dropna().dt.total_seconds() / 60
        rows.append(
            {
                "link": link,
                "accounts": group["account"].nunique(),
                "posts": len(group),
                "median minutes between shares": round(float(gaps.median()), 1) if len(gaps) else float("nan"),
                "hours from first to last share": round((times.iloc[-1] - times.iloc[0]).total_seconds() / 3600, 1),
            }
        )
    table = pd.DataFrame(rows).sort_values(["accounts", "posts", "link"], ascending=[False, False, True])
    return table.head(top).reset_index(drop=True)


def posts_per_hour(posts: Any) -> Any:
    """Number of posts in each hour of the period (a Series indexed by the hour's start)."""
    return posts.set_index("posted_at").resample("1h").size()


def spikes(posts: Any, window_minutes: int = 15, min_accounts: int = 4) -> Any:
    """Windows in which at least ``min_accounts`` different accounts shared the same link.

    Scans each link's shares in time order; a spike starts at a share and takes every share of that link
    within ``window_minutes`` after it. Overlapping windows are merged by skipping past a found spike.
    """
    import pandas as pd

    found = []
    span = pd.Timedelta(minutes=window_minutes)
    for link, group in posts.sort_values("posted_at").groupby("link"):
        times = list(group["posted_at"])
        who = list(group["account"])
        i = 0
        while i < len(times):
            j = i
            while j + 1 < len(times) and times[j + 1] - times[i] <= span:
                j += 1
            members = set(who[i : j + 1])
            if len(members) >= min_accounts:
                found.append(
                    {
                        "link": link,
                        "starts": times[i],
                        "accounts": len(members),
                        "minutes from first to last share": round((times[j] - times[i]).total_seconds() / 60, 1),
                    }
                )
                i = j + 1
            else:
                i += 1
    return pd.DataFrame(found, columns=["link", "starts", "accounts", "minutes from first to last share"]).sort_values(
        "starts", ignore_index=True
    )


def account_summary(
    net_or_accounts: Any, posts: Any = None, links: Any = None, window_minutes: int = 15, min_accounts: int = 4
) -> Any:
    """One row per account that shared any of ``links``: how often, how fast, and account details.

    Columns: shares of the links; spikes joined (shares that fell inside a spike found by
    :func:`spikes`); median minutes after the spike's first share; the earliest hours after a spike for
    shares outside one; creation date, followers and total posts.
    """
    import pandas as pd

    if posts is None:
        accounts, posts = net_or_accounts.accounts, net_or_accounts.posts
    else:
        accounts = net_or_accounts
    if links is None:
        links = list(CAMPAIGN_LINKS)
    found = spikes(posts, window_minutes, min_accounts)
    chosen = posts[posts["link"].isin(links)]
    totals = posts.groupby("account").size()
    span = pd.Timedelta(minutes=window_minutes)
    rows = []
    for account, group in chosen.groupby("account"):
        joined, delays, outside = 0, [], []
        for _, share in group.iterrows():
            same = found[(found["link"] == share["link"]) & (found["starts"] <= share["posted_at"])]
            inside = same[share["posted_at"] - same["starts"] <= span]
            if len(inside):
                joined += 1
                delays.append((share["posted_at"] - inside["starts"].iloc[-1]).total_seconds() / 60)
            elif len(same):
                outside.append((share["posted_at"] - same["starts"].iloc[-1]).total_seconds() / 3600)
        info = accounts.set_index("account").loc[account]
        rows.append(
            {
                "account": account,
                "shares of these links": len(group),
                "shares inside a spike": joined,
                "median minutes after spike start": round(float(pd.Series(delays).median()), 1) if delays else None,
                "shares outside spikes (hours after a spike)": ", ".join(f"{h:.0f}" for h in outside) or "none",
                "created": info["created"].date().isoformat(),
                "followers": int(info["followers"]),
                "total posts": int(totals.get(account, 0)),
            }
        )
    return pd.DataFrame(rows).sort_values(
        ["shares inside a spike", "account"], ascending=[False, True], ignore_index=True
    )


def most_active(accounts: Any, posts: Any, top: int = 5) -> Any:
    """The accounts that posted most, with their details (to show that volume is not coordination)."""
    counts = posts.groupby("account").size().rename("total posts").reset_index()
    table = counts.merge(accounts, on="account").sort_values(["total posts", "account"], ascending=[False, True])
    table["created"] = table["created"].dt.date.astype(str)
    return table.head(top).reset_index(drop=True)


def posting_time_figure(posts: Any, window_minutes: int = 15, min_accounts: int = 4, highlight: Any = None) -> Any:
    """Posts per hour over the period as bars, with each spike marked by a labelled triangle.

    With ``highlight`` (a list of links), a second panel below shows only the posts of those links, so
    that their bursts stand out from ordinary activity. Marks use a marker shape and a text label, not
    colour. Built without pyplot.
    """
    from matplotlib.figure import Figure

    from .timeline import FIGURE_WIDTH_IN, FONT_PT, wrap_label

    hourly = posts_per_hour(posts)
    found = spikes(posts, window_minutes, min_accounts)
    panels = 2 if highlight else 1
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 3.8 if panels == 1 else 5.8))  # the book's column width: text stays legible
    axes = fig.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]
    ax = axes[0]
    ax.bar(hourly.index, hourly.values, width=1 / 24, align="edge", color="#7f7f7f", edgecolor="black", linewidth=0.3)
    top = hourly.max()
    for n, start in enumerate(found["starts"], 1):
        ax.plot([start], [top * 1.08], marker="v", color="black", markersize=8)
        ax.text(start, top * 1.13, f"spike {n}", ha="center", fontsize=FONT_PT)
    ax.set_ylim(0, top * 1.25)
    ax.set_ylabel("All posts\nin the hour", fontsize=FONT_PT)
    ax.set_title(
        wrap_label("When the synthetic accounts posted: posts per hour; ▼ = spike of one link from 4+ accounts", 64),
        fontsize=FONT_PT,
    )
    if highlight:
        chosen = posts[posts["link"].isin(list(highlight))]
        counts = posts_per_hour(chosen).reindex(hourly.index, fill_value=0)
        axes[1].bar(
            counts.index,
            counts.values,
            width=1 / 24,
            align="edge",
            color="white",
            edgecolor="black",
            hatch="///",
            linewidth=0.6,
        )
        axes[1].set_ylim(0, top * 1.25)
        axes[1].set_ylabel("Posts of the\nhighlighted links", fontsize=FONT_PT)
    for each in axes:
        each.tick_params(labelsize=FONT_PT)
    axes[-1].set_xlabel("Date and time (synthetic week)", fontsize=FONT_PT)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def posting_time_alt(posts: Any, window_minutes: int = 15, min_accounts: int = 4, highlight: Any = None) -> str:
    """Alt text for :func:`posting_time_figure`, naming the hours of the spikes."""
    hourly = posts_per_hour(posts)
    found = spikes(posts, window_minutes, min_accounts)
    when = "; ".join(f"spike {n} on {s:%a %d %b at %H:%M}" for n, s in enumerate(found["starts"], 1))
    text = (
        f"Bar chart of posts per hour over {len(hourly)} hours. Most hours have between 0 and "
        f"{int(hourly.quantile(0.9))} posts, with quieter nights. {len(found)} short spikes are marked with "
        f"triangles: {when}."
    )
    if highlight:
        chosen = posts[posts["link"].isin(list(highlight))]
        busy = posts_per_hour(chosen)
        busy = busy[busy > 0]
        text += (
            f" A second panel shows only the {len(chosen)} posts of the highlighted links, in {len(busy)} hours: "
            + "; ".join(f"{n} on {t:%a %d %b at %H:00}" for t, n in busy.items())
            + "."
        )
    return text


def link_figure(posts: Any, top: int = 10) -> Any:
    """Horizontal bars: how many accounts shared each of the most shared links, labelled with the gap."""
    from matplotlib.figure import Figure

    from .timeline import FIGURE_WIDTH_IN, FONT_PT, wrap_label

    table = link_summary(posts, top)[::-1]
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 0.6 * len(table) + 1.4))  # the book's column width: text stays legible
    ax = fig.subplots()
    labels = [link.replace("https://", "") for link in table["link"]]
    ax.barh(range(len(table)), table["accounts"], height=0.4, color="#9fb7d9", edgecolor="black")
    for y, (label, n, gap) in enumerate(zip(labels, table["accounts"], table["median minutes between shares"])):
        # the link above its bar, not beside the axis: long addresses cannot wrap and would shrink the figure
        ax.text(0, y + 0.24, label, va="bottom", fontsize=FONT_PT)
        ax.text(n, y, f" {n} accounts; median gap {gap:g} min", va="center", fontsize=FONT_PT)
    ax.set_yticks([])
    ax.set_ylim(-0.5, len(table) - 0.05)
    ax.set_xlim(0, table["accounts"].max() * 2.0)
    ax.tick_params(labelsize=FONT_PT)
    ax.set_xlabel("Distinct accounts that shared the link", fontsize=FONT_PT)
    ax.set_title(
        wrap_label("Links shared by the most accounts, with the median gap between shares", 56), fontsize=FONT_PT
    )
    fig.tight_layout()
    return fig


def link_alt(posts: Any, top: int = 10) -> str:
    """Alt text for :func:`link_figure`, link by link."""
    table = link_summary(posts, top)
    bars = "; ".join(
        f"{link.replace('https://', '')}: {n} accounts, median gap {gap:g} minutes"
        for link, n, gap in zip(table["link"], table["accounts"], table["median minutes between shares"])
    )
    return f"Horizontal bar chart of the {len(table)} links shared by the most accounts: {bars}."
