from django.urls import path

from .views import inviting, no_shows, public, tracking

app_name = "invitations"

urlpatterns = [
    path("", tracking.invitation_list, name="list"),
    path("inviter/<int:beneficiary_pk>/", inviting.invite, name="invite"),
    path("rencontre/<int:meeting_pk>/inviter/", inviting.invite_to_meeting, name="invite_meeting"),
    path("groupees/", inviting.bulk, name="bulk"),
    path("groupees/entretiens/", inviting.bulk_interviews, name="bulk_interviews"),
    path("courriers/", tracking.letters, name="letters"),
    path("courriers/a-imprimer.pdf", tracking.letters_pdf, name="letters_pdf"),
    path("courriers/imprimes/", tracking.mark_letters_printed, name="mark_letters_printed"),
    path("<int:pk>/", tracking.invitation_detail, name="detail"),
    path("<int:pk>/courrier/<slug:kind>.pdf", tracking.letter_pdf, name="letter"),
    path("<int:pk>/courrier/<int:message_pk>/poste/", tracking.mark_printed, name="mark_printed"),
    path("absences/", no_shows.no_show_list, name="no_shows"),
    path("absences/<int:meeting_pk>/suite/", no_shows.follow_up, name="follow_up"),
    path(
        "absences/action/<int:participation_pk>/suite/",
        no_shows.action_follow_up,
        name="action_follow_up",
    ),
    # Public: the SMS provider's delivery reports (a shared secret, no session).
    path("sms/rapport/", public.sms_report, name="sms_report"),
]
