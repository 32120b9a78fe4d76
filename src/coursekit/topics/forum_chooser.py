"""Topic 2's forum chooser: internet-governance problems, the forums and approaches open to a diplomat, and
what each choice leads to.

Why it exists: in internet governance the first decision is often *where* to take a problem, and forum
shopping is the main game. The five problems are invented composites; the institutional facts they rest on
(what ICANN's Governmental Advisory Committee can do, the Schrems judgments, Human Rights Council resolution
32/13, WCIT-12) come from the course's fact base and are cited in the notebook. The participant sees them
as a practice Scenario built by :func:`scenario`.
"""

from __future__ import annotations

from ..core.exercises import Scenario
from .choosers import BEST, PARTIAL, WEAK, Pick, Problem, best_path, to_scenario

EXERCISE_ID = "t02-forum-chooser"

PROBLEMS: tuple[Problem, ...] = (
    Problem(
        "domain",
        "A domain name with a public-policy angle",
        "A large company applies to run a new top-level domain that spells the name of a river region shared by "
        "your country and three neighbours. Local authorities fear the name will be used for commerce they "
        "cannot control. Where and how do you act?",
        (
            Pick(
                "gac",
                "Raise it in ICANN's Governmental Advisory Committee, seek consensus advice with the "
                "neighbours, and talk to the applicant",
                "The GAC speaks on public-policy aspects of ICANN's work. Advice it adopts by full consensus is "
                "not a veto, but since October 2016 the Board can reject it only by a vote of at least 60% of its "
                "members, after looking for a solution both sides accept. Talking to the applicant at the same "
                "time opens the way to commitments on how the name will be used.",
                BEST,
            ),
            Pick(
                "itu",
                "Ask the ITU Council to adopt a resolution on protecting geographic names",
                "The ITU does not decide on applications for top-level domains, so nothing changes for this "
                "case. Your multistakeholder partners read the move as support for intergovernmental control of "
                "names, and you spend goodwill you will need in the GAC.",
                WEAK,
            ),
            Pick(
                "bilateral",
                "Negotiate with the company alone, outside any ICANN process",
                "The company may offer assurances, but without the GAC you have no lever if talks stall, the "
                "neighbours are not bound, and the next applicant starts from scratch.",
                PARTIAL,
            ),
        ),
    ),
    Problem(
        "resources",
        "A bid to give an intergovernmental body a say over internet resources",
        "Before an ITU conference, a group of States tables a proposal that the ITU should oversee the "
        "allocation of internet names and addresses. Several developing countries are undecided; they say "
        "they have no real voice in the bodies that run these resources today. What is your approach?",
        (
            Pick(
                "refuse",
                "Announce early that your country will sign no final act that mentions the internet",
                "The line is clear and your allies welcome it, but the undecided see a closed door. At WCIT-12 "
                "in Dubai (December 2012), 89 States signed the revised regulations and the chair said 55 did "
                "not: a visible split, not a settlement.",
                PARTIAL,
            ),
            Pick(
                "coalition",
                "Work with the undecided on their concern about voice; draft a compromise",
                "It is slow. You offer help to take part in the GAC and the technical bodies and a text that "
                "keeps allocation where it is; the undecided get something for their concern, and the proposal "
                "loses the votes it needed. "
                "The compromise respects the condition the US set for the IANA transition "
                "(14 March 2014): no government-led or intergovernmental replacement.",
                BEST,
            ),
            Pick(
                "trade",
                "Support the proposal in return for concessions on another agenda item",
                "You win the other item but help put names and numbers under an intergovernmental body, against "
                "the common EU line and the multistakeholder model the IANA transition of 2016 completed.",
                WEAK,
            ),
        ),
    ),
    Problem(
        "transfer",
        "A data-transfer dispute",
        "Your national data protection authority orders a company to suspend transfers of personal data to a "
        "third country, because the law there lets intelligence services reach the data without safeguards "
        "equivalent to EU law. The third country's ambassador asks your ministry to 'get the order lifted'. "
        "What do you do?",
        (
            Pick(
                "pressure",
                "Ask the authority to suspend its order for the sake of good trade relations",
                "The authority is independent and refuses. In Schrems I (C-362/14, 6 October 2015) the Court of "
                "Justice held that even an adequacy decision does not stop an authority from examining a "
                "complaint; the request becomes a story about political interference.",
                WEAK,
            ),
            Pick(
                "explain",
                "Explain the legal limits, then back talks at EU level on safeguards and redress",
                "You cannot lift the order, but you show the way out. In Schrems II (C-311/18, 16 July 2020) the "
                "Court asked for protection 'essentially equivalent' to EU law; only a change in the third "
                "country's safeguards, negotiated with the Commission, solves the problem for every company.",
                BEST,
            ),
            Pick(
                "dfft",
                "Invite the third country to work on 'data free flow with trust' in the G20 and WTO",
                "A useful long-term track for trade rules on data (Japan's 2019 initiative and the Osaka Track), "
                "but it does not touch the surveillance safeguards at the heart of this order, so the company "
                "stays stuck.",
                PARTIAL,
            ),
        ),
    ),
    Problem(
        "shutdown",
        "A national internet shutdown",
        "During protests after a disputed election, the government of a partner country shuts down mobile "
        "internet nationwide. Your citizens there cannot reach their families, and your companies cannot "
        "work. What do you do in the first days?",
        (
            Pick(
                "alone",
                "Issue a strong national statement condemning the shutdown at once",
                "Your values are on record, but one voice weighs little, and the private channel you needed for "
                "your citizens' safety closes.",
                PARTIAL,
            ),
            Pick(
                "layered",
                "Démarche in private first, then a joint statement citing HRC resolution 32/13",
                "The démarche leaves room to restore access quietly; the joint statement, citing the Human "
                "Rights Council's 2016 condemnation of intentional disruption of access, adds weight if it does "
                "not. Meanwhile consular staff keep in touch with citizens by other means.",
                BEST,
            ),
            Pick(
                "companies",
                "Urge your country's telecom companies there to keep their mobile networks running",
                "The companies are bound by the local licence and law; their staff face arrest, and the "
                "government accuses your country of interference. The shutdown continues.",
                WEAK,
            ),
        ),
    ),
    Problem(
        "protocol",
        "A standards fight over a new protocol",
        "In a standards body, a group of companies and governments proposes a new network architecture that "
        "would let operators trace and control traffic centrally. Your engineers see risks for "
        "interoperability and privacy. Which approach do you take?",
        (
            Pick(
                "industry",
                "Leave it to your companies: standards are technical matters for engineers",
                "Some of your companies take part, but they weigh their commercial interests, not privacy or "
                "security policy, and your government has no voice in meetings where governments vote.",
                PARTIAL,
            ),
            Pick(
                "block",
                "Object on procedure at the final meeting",
                "You delay the text by a few months, but you have built no technical case and no coalition; "
                "others see obstruction, and the proposal comes back.",
                WEAK,
            ),
            Pick(
                "experts",
                "Send experts early, coordinate the EU line, argue on technical merit",
                "Your experts join the study groups and the open standards bodies where the same problem is "
                "discussed; arguments on interoperability and security persuade engineers better than politics, "
                "and the EU speaks with one voice where governments vote.",
                BEST,
            ),
        ),
    ),
)

PROMPT = (
    "Forum chooser: five internet-governance problems. For each, choose where and how to act; the "
    "consequence appears at once. All cases are invented for practice."
)

DEBRIEF = (
    "Where you take a problem decides who has a voice and what can be decided. Public-policy concerns "
    "about names go to ICANN's GAC; a bid to move resources under an intergovernmental body is answered "
    "with a coalition that meets the undecided's concerns; a data-transfer order is a legal question "
    "that only better safeguards solve; a shutdown calls for quiet pressure first, then joint public "
    "words; a standards fight is won early, by experts, on technical merit."
)


def scenario() -> Scenario:
    """The forum chooser as a practice Scenario (one step per problem)."""
    return to_scenario(EXERCISE_ID, PROMPT, PROBLEMS, ["LO3"], DEBRIEF)


def best_answer() -> list[list[str]]:
    """The path that takes the best forum and approach for every problem."""
    return best_path(PROBLEMS)


__all__ = ["BEST", "PARTIAL", "WEAK", "PROBLEMS", "scenario", "best_answer"]
