"""Topic 1's tool chooser: situations a mission or ministry meets, the tools it could use (classic and
digital), and the trade-offs of each.

Why it exists: LO1 asks participants to identify the range of diplomatic tools, which in practice means
knowing which tool fits a situation and what it costs. The five situations are invented composites; the
real cases they echo (UN working methods in 2020, hacked official accounts, a minister's public appeal to a
company) are told, with their sources, in the notebook. Shown as a practice Scenario built by
:func:`scenario`.
"""

from __future__ import annotations

from ..core.exercises import Scenario
from .choosers import BEST, PARTIAL, WEAK, Pick, Problem, best_path, to_scenario

EXERCISE_ID = "t01-tool-chooser"

PROBLEMS: tuple[Problem, ...] = (
    Problem(
        "earthquake",
        "Citizens abroad in a crisis",
        "An earthquake strikes a country where several thousand of your citizens are on holiday. Phone lines "
        "are overloaded and families at home are calling the ministry. Which tool do you reach for first?",
        (
            Pick(
                "note",
                "A diplomatic note asking the host ministry for lists of foreign casualties",
                "A proper channel, and you will need it, but the answer takes days; meanwhile families hear "
                "nothing from you.",
                PARTIAL,
            ),
            Pick(
                "online",
                "Updates on the embassy's known accounts, with an online 'I am safe' form",
                "Citizens and families find you where they already follow you, and the form gives the consular "
                "team a list to work from. Keep a phone line for those who are offline.",
                BEST,
            ),
            Pick(
                "new-channel",
                "A new crisis channel on a popular messaging app, announced by press release",
                "Few people find it in time, and a look-alike channel run by fraudsters appears within hours: an "
                "unknown official account is easy to impersonate.",
                WEAK,
            ),
        ),
    ),
    Problem(
        "misread",
        "Your position misrepresented",
        "Posts on social media in your host country claim that your government wants to ban a popular app. "
        "Your government has only backed an EU rule on data protection. Local journalists are asking.",
        (
            Pick(
                "reply-all",
                "Answer each false post, one by one, from the embassy's official account",
                "Each reply is correct, but it shows the false claim to your followers again and draws you into "
                "a thread you cannot win.",
                PARTIAL,
            ),
            Pick(
                "explain",
                "A short video by the ambassador in the local language; brief journalists",
                "You set out your real position in your own words, once, where the audience is; journalists get "
                "a source to quote.",
                BEST,
            ),
            Pick(
                "takedown",
                "Report the posts to the platform and ask it to remove them as disinformation",
                "A misreading of policy is not illegal content; the platform declines, and the story becomes "
                "'foreign embassy tries to silence critics'.",
                WEAK,
            ),
        ),
    ),
    Problem(
        "platform",
        "A company shapes your public debate",
        "The content rules of a few large platforms decide what your citizens see during election campaigns. "
        "The companies are headquartered abroad. You want a lasting working relationship with them.",
        (
            Pick(
                "envoy",
                "Appoint an envoy to the technology industry",
                "A tech ambassador treats the companies as counterparts, with regular access and a mandate "
                "across issues; it takes staff and a clear brief at home.",
                BEST,
            ),
            Pick(
                "open-letter",
                "A minister's public letter to the companies' chief executives on social media",
                "A public appeal can move a company fast in a crisis, but it is a one-off; as a method it wears "
                "out, and it gives you no channel for the quiet work between crises.",
                PARTIAL,
            ),
            Pick(
                "host-gov",
                "A démarche to the government of the country where the companies are based",
                "That government does not run the companies' content rules and may not share your concern; "
                "you have talked about the companies rather than with them.",
                WEAK,
            ),
        ),
    ),
    Problem(
        "online-talks",
        "Negotiating when nobody can meet",
        "A pandemic closes the UN building. You chair the talks on a short procedural draft that must be "
        "adopted this month. Delegations cannot meet in person.",
        (
            Pick(
                "postpone",
                "Postpone the talks until delegations can meet again in the building",
                "Nothing is lost on the text, but the deadline passes and the body cannot act when it must.",
                WEAK,
            ),
            Pick(
                "silence",
                "Talk by video, circulate the text, and adopt it under a silence procedure",
                "The draft is adopted on time. The trade-off: under a silence procedure any one delegation can "
                "break silence, so a contested text still needs real agreement first.",
                BEST,
            ),
            Pick(
                "email",
                "Collect comments by e-mail and hold bilateral calls with each of the delegations",
                "You learn every position, but no one hears the others, compromises are harder to find, and "
                "the text still needs a way to be adopted.",
                PARTIAL,
            ),
        ),
    ),
    Problem(
        "hacked",
        "An official account goes rogue",
        "At midnight your embassy's account posts a message criticising your own government. Your staff did "
        "not write it; the account has been taken over. Journalists are sharing screenshots.",
        (
            Pick(
                "delete",
                "Delete the account so the message disappears",
                "The screenshots remain, you lose the account's followers and record, and an impersonator can "
                "take the name.",
                WEAK,
            ),
            Pick(
                "wait",
                "Say nothing until a morning press conference can set the record straight",
                "You avoid a hasty statement, but for eight hours the false post speaks for you.",
                PARTIAL,
            ),
            Pick(
                "recover",
                "Recover it via the platform; correct on other channels; call the host ministry",
                "The platform's support for government accounts restores control; your ministry's verified "
                "accounts and website carry the correction, and the host ministry hears it from you first.",
                BEST,
            ),
        ),
    ),
)

PROMPT = (
    "Tool chooser: five situations a mission or ministry meets. For each, choose the tool you would "
    "use first; the trade-off appears at once. All cases are invented for practice."
)

DEBRIEF = (
    "Digital tools reach people fast and where they already are, but they carry their own risks: "
    "channels nobody knows are easy to impersonate, replies amplify what they rebut, and accounts can "
    "be taken over. Classic tools (a note, a démarche) stay necessary but are slow. Choose the tool that "
    "fits the audience and the time you have, and keep a second channel for when the first fails."
)


def scenario() -> Scenario:
    """The tool chooser as a practice Scenario (one step per situation)."""
    return to_scenario(EXERCISE_ID, PROMPT, PROBLEMS, ["LO1"], DEBRIEF)


def best_answer() -> list[list[str]]:
    """The path that takes the best tool in every situation."""
    return best_path(PROBLEMS)


__all__ = ["BEST", "PARTIAL", "WEAK", "PROBLEMS", "scenario", "best_answer"]
