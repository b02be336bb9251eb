from django import template

from .. import notice

register = template.Library()


@register.simple_tag
def mirror_notice():
    """{% mirror_notice as mirrors %}: the public mirrors' addresses for base.html's notice."""
    return notice.public_mirrors()
