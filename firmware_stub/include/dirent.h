/* RT-Thread 5.1's <dirent.h> (newlib for arm-none-eabi has none): DIR and struct dirent as
 * DFS lays them out; opendir/readdir/closedir are the firmware's (src/dfs_posix.c). */
#ifndef __RTDL_DIRENT_H__
#define __RTDL_DIRENT_H__

#include <rtthread.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* File types */
#define FT_REGULAR      0   /* regular file */
#define FT_SOCKET       1   /* socket file  */
#define FT_DIRECTORY    2   /* directory    */
#define FT_USER         3   /* user defined */

#define DT_UNKNOWN      0x00
#define DT_REG          0x01
#define DT_DIR          0x02

#ifndef HAVE_DIR_STRUCTURE
#define HAVE_DIR_STRUCTURE
typedef struct
{
    int fd;                         /* directory file */
    char buf[512];
    int num;
    int cur;
} DIR;
#endif

#ifndef HAVE_DIRENT_STRUCTURE
#define HAVE_DIRENT_STRUCTURE
#define DIRENT_NAME_MAX    256

struct dirent
{
    rt_uint8_t  d_type;             /* the type of the file */
    rt_uint8_t  d_namlen;           /* the length of the name, without its NUL */
    rt_uint16_t d_reclen;           /* length of this record */
    char d_name[DIRENT_NAME_MAX];   /* the NUL-terminated file name */
};
#endif

int            closedir(DIR *);
DIR           *opendir(const char *);
struct dirent *readdir(DIR *);

#ifdef __cplusplus
}
#endif

#endif
