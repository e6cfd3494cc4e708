# This file enables modules to be automatically managed by the Functions service.
@{
    # 'Az' = '12.*'
}
