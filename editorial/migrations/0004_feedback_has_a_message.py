from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("editorial", "0003_helpful_answers_become_votes")]

    operations = [
        migrations.AddConstraint(
            model_name="feedback",
            constraint=models.CheckConstraint(condition=~models.Q(message=""), name="feedback_has_a_message"),
        ),
    ]
