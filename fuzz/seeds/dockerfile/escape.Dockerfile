# escape=`
FROM mcr.microsoft.com/windows/servercore
RUN dir `
    c:\ `
    # un commentaire

    && echo fini
COPY test.txt c:\
CMD powershell -Command "Write-Host `"hi`""
