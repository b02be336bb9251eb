from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from masthead.mirrors import urls as mirrors_urls
from masthead.news import urls as news_urls
from masthead.syndication import urls as syndication_urls
from masthead.tv import urls as tv_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include(syndication_urls)),
    path("", include(mirrors_urls)),
    path("", include(tv_urls)),
    path("", include(news_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "masthead.news.views.page_not_found"
handler500 = "masthead.news.views.server_error"
