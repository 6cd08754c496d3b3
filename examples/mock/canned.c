/* Canned responses, loaded once at start. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "canned.h"
#include "ews_op_table.h"
#include "util.h"

/* A canned response is a whole envelope read into memory; Exchange's own
 * are far smaller. */
#define MOCK_CANNED_MAX ((size_t)64 << 20)

static const ews_op_descriptor *op_named(const char *name, size_t len)
{
    for (size_t i = 0; i < ews_op_table_count; i++)
        if (strlen(ews_op_table[i]->op.name) == len &&
            memcmp(ews_op_table[i]->op.name, name, len) == 0)
            return ews_op_table[i];
    return NULL;
}

static int add(mock_canned_set *set, const char *name, size_t name_len, const char *path,
               char *err, size_t errlen)
{
    const ews_op_descriptor *op = op_named(name, name_len);
    if (!op) {
        mock_errf(err, errlen, "canned response %s: '%.*s' is not an operation of this build "
                  "(wsdl/operations.txt)", path, (int)name_len, name);
        return -1;
    }
    char *body = NULL;
    size_t len = 0;
    int e = mock_read_file(path, MOCK_CANNED_MAX, &body, &len);
    if (e) {
        mock_errf(err, errlen, "canned response %s: %s", path,
                  e == EFBIG ? "larger than 64 MiB" : strerror(e));
        return -1;
    }
    for (size_t i = 0; i < set->count; i++)
        if (set->items[i].op == op) {
            free(set->items[i].body);
            set->items[i].body = body;
            set->items[i].len = len;
            return 0;
        }
    mock_canned *grown = realloc(set->items, (set->count + 1) * sizeof *grown);
    if (!grown) {
        free(body);
        mock_errf(err, errlen, "out of memory");
        return -1;
    }
    set->items = grown;
    set->items[set->count++] = (mock_canned){ op, body, len };
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every OP.xml of dir, in name order so that errors come out the same. */
static int add_folder(mock_canned_set *set, const char *dir, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        mock_errf(err, errlen, "canned responses %s: %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    struct dirent *ent;
    while (rc == 0 && (ent = readdir(d))) {
        size_t len = strlen(ent->d_name);
        if (len <= 4 || strcmp(ent->d_name + len - 4, ".xml") != 0)
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *grown);
        if (!grown || !(grown[n] = mock_strdup(ent->d_name))) {
            names = grown ? grown : names;
            mock_errf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        names = grown;
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        size_t plen = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(plen);
        if (!path) {
            mock_errf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        snprintf(path, plen, "%s/%s", dir, names[i]);
        rc = add(set, names[i], strlen(names[i]) - 4, path, err, errlen);
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int mock_canned_load(mock_canned_set *set, const char *const *specs, char *err, size_t errlen)
{
    for (size_t i = 0; specs && specs[i]; i++) {
        const char *eq = strchr(specs[i], '=');
        struct stat st;
        int rc;
        if (eq)
            rc = add(set, specs[i], (size_t)(eq - specs[i]), eq + 1, err, errlen);
        else if (stat(specs[i], &st) == 0 && S_ISDIR(st.st_mode))
            rc = add_folder(set, specs[i], err, errlen);
        else {
            mock_errf(err, errlen, "canned response '%s' is neither OP=FILE nor a folder",
                      specs[i]);
            rc = -1;
        }
        if (rc) {
            mock_canned_free(set);
            return -1;
        }
    }
    return 0;
}

const mock_canned *mock_canned_for_element(const mock_canned_set *set, const char *element)
{
    for (size_t i = 0; set && i < set->count; i++)
        if (strcmp(set->items[i].op->request_element, element) == 0)
            return &set->items[i];
    return NULL;
}

void mock_canned_free(mock_canned_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        free(set->items[i].body);
    free(set->items);
    set->items = NULL;
    set->count = 0;
}
