#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    mkdir("d", 0755);
    mkdir("d/e", 0755);
    const char *files[] = {"d/x.txt", "d/y.txt"};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(files[i], "w");
        fputs("hello\n", f);
        fclose(f);
    }
    char buf[64];
    FILE *f = fopen("d/x.txt", "r");
    fputs(fgets(buf, sizeof buf, f), stdout);
    fclose(f);
    struct stat st;
    stat("d/x.txt", &st);
    printf("%lld\n", (long long)st.st_size);
    char *names[16];
    int n = 0;
    DIR *dir = opendir("d");
    for (struct dirent *e; (e = readdir(dir)) != NULL;)
        if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
    closedir(dir);
    qsort(names, n, sizeof *names, by_name);
    for (int i = 0; i < n; i++) printf(i ? " %s" : "%s", names[i]);
    printf("\n");
    int found = 0;
    char line[256];
    f = fopen("/proc/self/status", "r");
    while (fgets(line, sizeof line, f)) found |= strncmp(line, "Name:", 5) == 0;
    fclose(f);
    puts(found ? "true" : "false");
    time_t now = time(NULL);
    printf("%d\n", gmtime(&now)->tm_year + 1900);
    f = fopen("/tmp/t", "w");
    fputs("tmp ok", f);
    fclose(f);
    f = fopen("/tmp/t", "r");
    fgets(buf, sizeof buf, f);
    fclose(f);
    puts(buf);
    return 0;
}
