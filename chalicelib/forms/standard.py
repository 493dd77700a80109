"""The three standard forms, written for this product. Organizations use them as they are or copy and edit them
(a copy becomes the organization's own form, versioned from 1). Plain data: validated by services/forms.py."""

from __future__ import annotations

from typing import Any

INTAKE: dict[str, Any] = {
    "id": "std-intake-questionnaire",
    "title": "Standard Intake Questionnaire",
    "description": "Tell us about yourself so your first session can focus on you. Your answers are private to your practice.",
    "fields": [
        {"id": "about", "type": "heading", "label": "About you"},
        {"id": "legal_name", "type": "short_text", "label": "Full legal name", "required": True, "prefill": "name"},
        {"id": "date_of_birth", "type": "date", "label": "Date of birth", "required": True, "prefill": "date_of_birth"},
        {"id": "pronouns", "type": "short_text", "label": "Pronouns"},
        {"id": "phone", "type": "phone", "label": "Phone", "required": True, "prefill": "phone"},
        {"id": "email", "type": "email", "label": "Email", "required": True, "prefill": "email"},
        {"id": "address", "type": "address", "label": "Home address", "required": True},
        {"id": "emergency", "type": "heading", "label": "Emergency contact"},
        {"id": "emergency_name", "type": "short_text", "label": "Emergency contact's name", "required": True},
        {"id": "emergency_relationship", "type": "short_text", "label": "Relationship to you", "required": True},
        {"id": "emergency_phone", "type": "phone", "label": "Emergency contact's phone", "required": True},
        {"id": "reason", "type": "heading", "label": "Reason for seeking services"},
        {"id": "reason_now", "type": "long_text", "label": "What brings you to therapy now?", "required": True},
        {
            "id": "concerns",
            "type": "multiple_choice",
            "label": "Which of these affect you at the moment?",
            "options": [
                "Anxiety or worry",
                "Low mood",
                "Sleep",
                "Relationships",
                "Work or school",
                "Grief or loss",
                "Alcohol or drugs",
                "Other",
            ],
        },
        {"id": "goals", "type": "long_text", "label": "What would you like to be different after therapy?"},
        {"id": "history", "type": "heading", "label": "History"},
        {"id": "prior_therapy", "type": "yes_no", "label": "Have you been in therapy or counseling before?", "required": True},
        {
            "id": "prior_therapy_details",
            "type": "long_text",
            "label": "When, with whom, and what helped or did not help?",
            "show_if": {"field": "prior_therapy", "equals": True},
        },
        {"id": "hospitalized", "type": "yes_no", "label": "Have you ever been hospitalized for your mental health?", "required": True},
        {"id": "family_history", "type": "long_text", "label": "Is there mental health history in your family you would like us to know?"},
        {"id": "medications_heading", "type": "heading", "label": "Current medications"},
        {"id": "takes_medications", "type": "yes_no", "label": "Do you take any medications at the moment?", "required": True},
        {
            "id": "medications",
            "type": "long_text",
            "label": "Medications, doses and who prescribes them",
            "required": True,
            "show_if": {"field": "takes_medications", "equals": True},
        },
        {"id": "insurance", "type": "heading", "label": "Insurance details"},
        {
            "id": "payment",
            "type": "single_choice",
            "label": "How will you pay for sessions?",
            "options": ["Insurance", "Self-pay"],
            "required": True,
        },
        {
            "id": "insurance_company",
            "type": "short_text",
            "label": "Insurance company",
            "required": True,
            "show_if": {"field": "payment", "equals": "Insurance"},
        },
        {
            "id": "member_id",
            "type": "short_text",
            "label": "Member ID",
            "required": True,
            "show_if": {"field": "payment", "equals": "Insurance"},
        },
        {"id": "group_number", "type": "short_text", "label": "Group number", "show_if": {"field": "payment", "equals": "Insurance"}},
        {
            "id": "policy_holder",
            "type": "short_text",
            "label": "Policy holder's name (if not you)",
            "show_if": {"field": "payment", "equals": "Insurance"},
        },
        {"id": "signature", "type": "signature", "label": "Signature", "required": True},
    ],
}

CONSENT: dict[str, Any] = {
    "id": "std-informed-consent",
    "title": "Informed Consent for Psychotherapy",
    "description": "Please read this agreement carefully. Ask your therapist about anything that is unclear before you sign.",
    "fields": [
        {"id": "services", "type": "heading", "label": "Psychotherapy services"},
        {
            "id": "services_text",
            "type": "static_text",
            "label": (
                "Psychotherapy is a collaborative process between you and your therapist. It can bring real benefits, such as "
                "relief from distress and better relationships, and it can also bring up uncomfortable feelings. There are no "
                "guarantees about outcomes. You may ask questions or end therapy at any time."
            ),
        },
        {"id": "confidentiality", "type": "heading", "label": "Confidentiality and its limits"},
        {
            "id": "confidentiality_text",
            "type": "static_text",
            "label": (
                "What you share is confidential and is not released without your written permission, except where the law "
                "requires or allows it: when there is a serious risk of harm to you or to others, when abuse or neglect of a "
                "child, an elder or a dependent adult is suspected, or when a court orders records to be released."
            ),
        },
        {"id": "policies", "type": "heading", "label": "Appointments, fees and contact"},
        {
            "id": "policies_text",
            "type": "static_text",
            "label": (
                "Sessions last about 50 minutes. Please cancel at least 24 hours ahead; late cancellations and missed sessions "
                "may be charged. Secure messages through this portal are for scheduling and practical matters, not "
                "emergencies. In an emergency call 911 or go to the nearest emergency room; in the US you can call or text 988."
            ),
        },
        {"id": "ack_read", "type": "yes_no", "label": "I have read and understood this agreement.", "required": True},
        {"id": "ack_questions", "type": "yes_no", "label": "I have had the chance to ask questions about it.", "required": True},
        {"id": "ack_consent", "type": "yes_no", "label": "I consent to receive psychotherapy services.", "required": True},
        {"id": "signature", "type": "signature", "label": "Signature", "required": True},
    ],
}

PRIVACY: dict[str, Any] = {
    "id": "std-privacy-notice",
    "title": "Notice of Privacy Practices",
    "description": "This notice describes how health information about you may be used and disclosed, and how you can get access to it.",
    "fields": [
        {"id": "uses", "type": "heading", "label": "How we use and share your health information"},
        {
            "id": "uses_text",
            "type": "static_text",
            "label": (
                "We use and share your health information to treat you, to get paid for your care and to run our practice. We "
                "may also share it when the law requires, to prevent a serious threat to health or safety, or for public "
                "health. For anything else we ask for your written authorization, which you may revoke at any time."
            ),
        },
        {"id": "rights", "type": "heading", "label": "Your rights"},
        {
            "id": "rights_text",
            "type": "static_text",
            "label": (
                "You may see and get a copy of your records, ask us to correct them, ask for confidential communications, ask "
                "us to limit what we share, get a list of those with whom we shared information, get a copy of this notice, "
                "and file a complaint with us or with the U.S. Department of Health and Human Services without retaliation."
            ),
        },
        {
            "id": "ack_received",
            "type": "yes_no",
            "label": "I acknowledge that I received this Notice of Privacy Practices.",
            "required": True,
        },
        {"id": "signature", "type": "signature", "label": "Signature", "required": True},
    ],
}

STANDARD_FORMS: tuple[dict[str, Any], ...] = (INTAKE, CONSENT, PRIVACY)
