"""Second factors: authenticator apps, passkeys, recovery codes, the practice's policy, step-up and resets.

``authenticators``, ``passkeys`` and ``recovery`` prove and manage each kind; ``resets`` is the administrator's;
``overview`` is what Account shows. auth/second_factor.py holds the rules a request's stage follows.
"""
