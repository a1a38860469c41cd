"""One ``duban remind`` pass over 300 tasks, 80 units and a year of rounds (the issue's budget: under 1 s).

The pass is measured doing its whole work each time: the record of earlier rounds is cleared first, so
every round works out, claims, writes and (in the application) delivers the same day's digests.
"""

from datetime import date

import pytest

from tests.web.test_benchmarks import big  # noqa: F401  (the 300-task government, built once)

# The day before the annual round is due: every unit owing it hears before-1, the overdue ones their step.
DAY = date(2026, 12, 14)


@pytest.mark.django_db
def test_one_reminder_pass_over_a_year(big, benchmark):  # noqa: F811
    from duban.web.models import Channel, Delivery, Reminder, ReminderRules
    from duban.web.services import reminders

    ReminderRules.objects.create(government=big.government, office_list="dj_duchaju\nlingdao@dajiang.gov.cn")
    # An e-mail channel: every message to a person with an address is made (sending is not measured: no server).
    Channel.objects.create(government=big.government, kind="email", name="邮件", url="127.0.0.1", enabled=False)

    def clear():
        Reminder.objects.filter(government=big.government).delete()
        Delivery.objects.filter(government=big.government).delete()

    result = benchmark.pedantic(
        lambda: reminders.run(government=big.government, day=DAY), setup=clear, rounds=5, iterations=1
    )
    assert len(result.reminders) > 400
    steps = {x["step"] for x in result.reminders}
    assert "before-1" in steps and any(s.startswith("overdue-") for s in steps)
    assert Delivery.objects.filter(government=big.government, day=DAY).count() == result.deliveries > 100
