"""Shape and types only: each form's cleaned data goes to a service, which decides."""

from __future__ import annotations

from typing import Any

from django import forms

from cecto.mentoring.models import MAX_MEETING_MINUTES, MenteeIntake, MentorProfile, Strand

STRAND_CHOICES = Strand.choices


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(label="Minutes", min_value=1, max_value=MAX_MEETING_MINUTES)
    strand = forms.ChoiceField(label="Strand", choices=STRAND_CHOICES)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class GoalForm(forms.Form):
    strand = forms.ChoiceField(label="Strand", choices=STRAND_CHOICES)
    text = forms.CharField(label="Goal", max_length=300)
    milestones = forms.CharField(
        label="Milestones",
        required=False,
        help_text="One per line.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def milestone_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["milestones"].splitlines() if line.strip()]


class GoalUpdateForm(forms.Form):
    is_done = forms.BooleanField(label="Goal reached", required=False)
    milestones_done = forms.MultipleChoiceField(label="Milestones done", required=False, choices=())

    def __init__(self, *args: Any, milestone_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestones_done"].choices = milestone_choices  # type: ignore[attr-defined]  # a ChoiceField


class PairForm(forms.Form):
    """A mentor and a mentee, by their public identifiers, for pin / forbid / unpin / unforbid."""

    mentor = forms.UUIDField()
    mentee = forms.UUIDField()
    reason = forms.CharField(required=False, max_length=300)


class AcceptForm(forms.Form):
    proposal = forms.UUIDField(required=False, help_text="Empty: accept every open proposal.")


class MentorChoiceField(forms.ModelMultipleChoiceField[MentorProfile]):
    def label_from_instance(self, obj: MentorProfile) -> str:
        return obj.person.full_name


class IntakeForm(forms.Form):
    strands_wanted = forms.MultipleChoiceField(
        label="Strands you want to work on",
        choices=STRAND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    goals = forms.CharField(
        label="Your goals for the year, in your own words", widget=forms.Textarea(attrs={"rows": 4})
    )
    region = forms.CharField(label="Your region", required=False, max_length=80)
    preferred_regions = forms.CharField(
        label="Regions you would like your mentor to come from",
        required=False,
        help_text="Separate them with commas.",
    )
    preferred_mentors = MentorChoiceField(
        label="Mentors you would like",
        queryset=MentorProfile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    avoid_mentors = MentorChoiceField(
        label="Mentors you must not be paired with",
        queryset=MentorProfile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, mentors: list[MentorProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [m.pk for m in mentors]
        for name in ("preferred_mentors", "avoid_mentors"):
            field = self.fields[name]
            assert isinstance(field, MentorChoiceField)  # noqa: S101 (a type guard)
            field.queryset = MentorProfile.objects.filter(pk__in=ids).select_related("person")

    @staticmethod
    def initial_for(intake: MenteeIntake | None) -> dict[str, Any]:
        if intake is None:
            return {}
        return {
            "strands_wanted": intake.strands_wanted,
            "goals": intake.goals,
            "region": intake.region,
            "preferred_regions": ", ".join(intake.preferred_regions),
            "preferred_mentors": list(intake.preferred_mentors.all()),
            "avoid_mentors": list(intake.avoid_mentors.all()),
        }

    def region_list(self) -> list[str]:
        return [r.strip() for r in self.cleaned_data["preferred_regions"].split(",") if r.strip()]
