"""Solo play in a notebook: the widget plays the whole exercise through its own controls."""

from __future__ import annotations

from coursekit.tabletop import model
from coursekit.tabletop.__main__ import WALKTHROUGH_PICKS
from coursekit.tabletop.solo_widget import SoloPlayer


def test_the_widget_plays_to_the_debrief_and_escapes_markup():
    exercise = model.load(model.course_exercises()["spring-2022"])
    player = SoloPlayer(exercise, "cautious")
    assert "Role card: A cautious Member State" in player.card.value
    player.button.click()  # nothing chosen: a note, no move
    assert "Choose an option first" in player.feedback.value and not player.game.decisions
    for inject in exercise.injects:
        assert inject["title"] in player.situation.value
        player.options.value = WALKTHROUGH_PICKS[inject["id"]]
        player.rationale.value = "<script>x</script>"
        player.button.click()
        assert "Consequence:" in player.feedback.value
    assert player.game.rationales["whispergate"] == "<script>x</script>"
    assert "Debrief" in player.situation.value and "What happened" in player.situation.value
    assert player.button.layout.display == "none"
    assert "<script>" not in player.situation.value + player.feedback.value
