"""What faces the internet: the CloudFront distribution (the frontend from a private bucket, `/api/*` to API Gateway,
the page's security headers, TLS only) and SES (the sender identity and the configuration set that reports bounces
and complaints back to the app)."""

from __future__ import annotations

from typing import Any

from chalicelib.handlers.api import ORIGIN_VERIFY_HEADER
from chalicelib.observability import SECURITY_HEADERS
from scripts.local_stack import PAGE_CSP

ORIGIN_VERIFY_VALUE = {"Fn::Sub": "{{resolve:secretsmanager:${OriginVerifySecret}:SecretString}}"}

# AWS managed CloudFront policies (the same ids in every account).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"  # the hosted zone of every *.cloudfront.net alias
HSTS_SECONDS = 63072000

# Client-side routes have no file: anything whose last segment has no dot is the app's index.html (as the local
# stack serves it). Only this behaviour runs it, so /api/* answers are never replaced by the page.
SPA_REWRITE = """function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf("/") + 1);
  if (last.indexOf(".") === -1) {
    request.uri = "/index.html";
  }
  return request;
}
"""


def page_csp() -> dict[str, Any]:
    """The local stack's page CSP, plus the documents bucket for presigned uploads (the browser posts files straight to
    S3; downloads are navigations, which connect-src does not govern)."""
    storage = "https://${DocumentsBucket}.s3.amazonaws.com https://${DocumentsBucket.RegionalDomainName}"
    directives = [d.strip() for d in PAGE_CSP.split(";") if d.strip()]
    out = [f"{d} {storage}" if d.startswith("connect-src ") else d for d in directives]
    return {"Fn::Sub": "; ".join(out)}


# The payment page (and only it) loads Stripe.js and talks to Stripe (docs/decisions.md, 36): its document gets these
# origins too. Every other page keeps page_csp().
PAYMENT_PAGE_PATTERN = "/o/*/app/pay/*"
STRIPE_ORIGINS = {
    "script-src": "https://js.stripe.com",
    "connect-src": "https://api.stripe.com",
    "frame-src": "https://js.stripe.com https://hooks.stripe.com",
}


def payment_page_csp() -> dict[str, Any]:
    directives = [d.strip() for d in page_csp()["Fn::Sub"].split(";")]
    out = [f"{d} {STRIPE_ORIGINS[d.split(' ', 1)[0]]}" if d.split(" ", 1)[0] in STRIPE_ORIGINS else d for d in directives]
    return {"Fn::Sub": "; ".join(out)}


def _headers_policy(name: str, csp: Any, override: bool) -> dict[str, Any]:
    security: dict[str, Any] = {
        "ContentTypeOptions": {"Override": override},
        "FrameOptions": {"FrameOption": "DENY", "Override": override},
        "ReferrerPolicy": {"ReferrerPolicy": "no-referrer", "Override": override},
        "StrictTransportSecurity": {"AccessControlMaxAgeSec": HSTS_SECONDS, "IncludeSubdomains": True, "Override": override},
        "ContentSecurityPolicy": {"ContentSecurityPolicy": csp, "Override": override},
    }
    custom = [
        {"Header": header, "Value": SECURITY_HEADERS[header], "Override": override}
        for header in ("Cross-Origin-Opener-Policy", "Permissions-Policy")
    ]
    config = {"Name": {"Fn::Sub": "${AWS::StackName}-" + name}, "SecurityHeadersConfig": security, "CustomHeadersConfig": {"Items": custom}}
    return {"Type": "AWS::CloudFront::ResponseHeadersPolicy", "Properties": {"ResponseHeadersPolicyConfig": config}}


def cdn() -> dict[str, Any]:
    resources: dict[str, Any] = {
        "FrontendOriginAccess": {
            "Type": "AWS::CloudFront::OriginAccessControl",
            "Properties": {
                "OriginAccessControlConfig": {
                    "Name": {"Fn::Sub": "${AWS::StackName}-frontend"},
                    "OriginAccessControlOriginType": "s3",
                    "SigningBehavior": "always",
                    "SigningProtocol": "sigv4",
                }
            },
        },
        # The page: its CSP and the rest always set by CloudFront. The API sets its own (chalicelib/observability.py);
        # CloudFront adds them only to answers that lack them (the gateway's own errors).
        "PageHeadersPolicy": _headers_policy("page", page_csp(), override=True),
        "PaymentPageHeadersPolicy": _headers_policy("payment-page", payment_page_csp(), override=True),
        "ApiHeadersPolicy": _headers_policy("api", SECURITY_HEADERS["Content-Security-Policy"], override=False),
        "SpaRewrite": {
            "Type": "AWS::CloudFront::Function",
            "Properties": {
                "Name": {"Fn::Sub": "${AWS::StackName}-spa"},
                "AutoPublish": True,
                "FunctionCode": SPA_REWRITE,
                "FunctionConfig": {"Comment": "client-side routes are the app's index.html", "Runtime": "cloudfront-js-2.0"},
            },
        },
        "Distribution": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": _distribution()}},
        "FrontendBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": "FrontendBucket"},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        tls_only("FrontendBucket"),
                        {
                            "Sid": "CloudFrontReads",
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudfront.amazonaws.com"},
                            "Action": "s3:GetObject",
                            "Resource": {"Fn::Sub": "${FrontendBucket.Arn}/*"},
                            "Condition": {
                                "StringEquals": {
                                    "AWS:SourceArn": {
                                        "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"
                                    }
                                }
                            },
                        },
                    ],
                },
            },
        },
        "PortalAlias": {
            "Type": "AWS::Route53::RecordSetGroup",
            "Condition": "HasHostedZone",
            "Properties": {
                "HostedZoneId": {"Ref": "HostedZoneId"},
                "RecordSets": [
                    {
                        "Name": {"Ref": "DomainName"},
                        "Type": kind,
                        "AliasTarget": {"DNSName": {"Fn::GetAtt": ["Distribution", "DomainName"]}, "HostedZoneId": CLOUDFRONT_ZONE},
                    }
                    for kind in ("A", "AAAA")
                ],
            },
        },
    }
    return resources


def _distribution() -> dict[str, Any]:
    return {
        "Enabled": True,
        "Comment": {"Fn::Sub": "${AWS::StackName}: client portal"},
        "Aliases": [{"Ref": "DomainName"}],
        "ViewerCertificate": {
            "AcmCertificateArn": {"Ref": "CertificateArn"},
            "SslSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
        "HttpVersion": "http2and3",
        "IPV6Enabled": True,
        "PriceClass": "PriceClass_100",
        "DefaultRootObject": "index.html",
        "WebACLId": {"Fn::If": ["HasWebAcl", {"Ref": "WebAclArn"}, {"Ref": "AWS::NoValue"}]},
        # Cookies carry session tokens: never in the logs.
        "Logging": {"Bucket": {"Fn::GetAtt": ["LogBucket", "DomainName"]}, "Prefix": "cdn/", "IncludeCookies": False},
        "Origins": [
            {
                "Id": "frontend",
                "DomainName": {"Fn::GetAtt": ["FrontendBucket", "RegionalDomainName"]},
                "OriginAccessControlId": {"Fn::GetAtt": ["FrontendOriginAccess", "Id"]},
                "S3OriginConfig": {"OriginAccessIdentity": ""},
            },
            {
                "Id": "api",
                "DomainName": {"Fn::Sub": "${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}"},
                "OriginPath": "/api",  # the stage; its routes are /api/..., so /api/x reaches the route /api/x
                # Resolved by CloudFormation at deploy time; the API compares it before believing the viewer's address.
                "OriginCustomHeaders": [{"HeaderName": ORIGIN_VERIFY_HEADER, "HeaderValue": ORIGIN_VERIFY_VALUE}],
                "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"], "HTTPSPort": 443},
            },
        ],
        "DefaultCacheBehavior": {
            "TargetOriginId": "frontend",
            "ViewerProtocolPolicy": "redirect-to-https",
            "AllowedMethods": ["GET", "HEAD"],
            "CachePolicyId": CACHING_OPTIMIZED,
            "ResponseHeadersPolicyId": {"Ref": "PageHeadersPolicy"},
            "Compress": True,
            "FunctionAssociations": [{"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": ["SpaRewrite", "FunctionARN"]}}],
        },
        "CacheBehaviors": [
            {
                "PathPattern": PAYMENT_PAGE_PATTERN,
                "TargetOriginId": "frontend",
                "ViewerProtocolPolicy": "redirect-to-https",
                "AllowedMethods": ["GET", "HEAD"],
                "CachePolicyId": CACHING_OPTIMIZED,
                "ResponseHeadersPolicyId": {"Ref": "PaymentPageHeadersPolicy"},
                "Compress": True,
                "FunctionAssociations": [{"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": ["SpaRewrite", "FunctionARN"]}}],
            },
            {
                "PathPattern": "/api/*",
                "TargetOriginId": "api",
                "ViewerProtocolPolicy": "https-only",
                "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                "CachedMethods": ["GET", "HEAD"],
                "CachePolicyId": CACHING_DISABLED,
                "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST,
                "ResponseHeadersPolicyId": {"Ref": "ApiHeadersPolicy"},
                "Compress": True,
            },
        ],
    }


def tls_only(bucket: str) -> dict[str, Any]:
    return {
        "Sid": "TlsOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [{"Fn::GetAtt": [bucket, "Arn"]}, {"Fn::Sub": "${" + bucket + ".Arn}/*"}],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def mail() -> dict[str, Any]:
    """The sender identity (Easy DKIM) and a configuration set whose event destination reports bounces and
    complaints to the topic the ``mail_events`` function reads."""
    return {
        "MailConfigurationSet": {
            "Type": "AWS::SES::ConfigurationSet",
            "Properties": {
                "Name": {"Fn::Sub": "${AWS::StackName}-mail"},
                # Mail carries sign-in and set-password links: never over an unencrypted hop.
                "DeliveryOptions": {"TlsPolicy": "REQUIRE"},
                "ReputationOptions": {"ReputationMetricsEnabled": True},
                "SendingOptions": {"SendingEnabled": True},
                "SuppressionOptions": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
            },
        },
        "MailEventDestination": {
            "Type": "AWS::SES::ConfigurationSetEventDestination",
            "Properties": {
                "ConfigurationSetName": {"Ref": "MailConfigurationSet"},
                "EventDestination": {
                    "Name": "bounces-and-complaints",
                    "Enabled": True,
                    "MatchingEventTypes": ["bounce", "complaint"],
                    "SnsDestination": {"TopicARN": {"Ref": "MailEventsTopic"}},
                },
            },
        },
        "MailIdentity": {
            "Type": "AWS::SES::EmailIdentity",
            "Properties": {
                "EmailIdentity": {"Ref": "DomainName"},
                "ConfigurationSetAttributes": {"ConfigurationSetName": {"Ref": "MailConfigurationSet"}},
                "DkimAttributes": {"SigningEnabled": True},
            },
        },
        "MailDkimRecords": {
            "Type": "AWS::Route53::RecordSetGroup",
            "Condition": "HasHostedZone",
            "Properties": {
                "HostedZoneId": {"Ref": "HostedZoneId"},
                "RecordSets": [
                    {
                        "Name": {"Fn::GetAtt": ["MailIdentity", f"DkimDNSTokenName{n}"]},
                        "Type": "CNAME",
                        "TTL": "1800",
                        "ResourceRecords": [{"Fn::GetAtt": ["MailIdentity", f"DkimDNSTokenValue{n}"]}],
                    }
                    for n in (1, 2, 3)
                ],
            },
        },
    }
